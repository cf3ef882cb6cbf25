pub mod image_processing;
pub mod s3;
pub mod storage;
