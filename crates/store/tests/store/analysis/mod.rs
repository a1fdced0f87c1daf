mod effect;
mod participation;
mod selection;
