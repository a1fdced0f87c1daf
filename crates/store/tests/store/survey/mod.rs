mod instrument;
