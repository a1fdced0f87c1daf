mod effect;
mod participation;
