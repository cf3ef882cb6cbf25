pub mod image_processing;
pub mod storage;
