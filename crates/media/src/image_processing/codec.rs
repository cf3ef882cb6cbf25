//! Format sniffing, limited decoding and encoding for [`super`].

use std::io::Cursor;

use image::codecs::gif::GifEncoder;
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::codecs::webp::WebPEncoder;
use image::metadata::Orientation;
use image::{
    DynamicImage, ExtendedColorType, ImageDecoder, ImageEncoder, ImageFormat, ImageReader, Limits,
    RgbaImage,
};

use super::{ImageError, MAX_GIF_MATRIX_PIXELS, MAX_MATRIX_PIXELS, ProcessedImage};

/// Maximum width or height accepted by the decoders (strict `image::Limits`).
const MAX_SIDE: u32 = 32_768;
/// Maximum decoder allocation (33 MP at 16-bit RGBA is ~265 MB).
const MAX_ALLOC: u64 = 320 * 1024 * 1024;
const JPEG_QUALITY: u8 = 90;
/// NeuQuant speed for GIF re-encoding (1 = best, 30 = fastest).
pub(super) const GIF_SPEED: i32 = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    Png,
    Jpeg,
    Gif,
    WebP,
}

impl Format {
    pub(super) fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(Self::Gif)
        } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
            Some(Self::WebP)
        } else {
            None
        }
    }

    pub(super) fn image_format(self) -> ImageFormat {
        match self {
            Self::Png => ImageFormat::Png,
            Self::Jpeg => ImageFormat::Jpeg,
            Self::Gif => ImageFormat::Gif,
            Self::WebP => ImageFormat::WebP,
        }
    }

    pub(super) fn content_type(self) -> &'static str {
        match self {
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Gif => "image/gif",
            Self::WebP => "image/webp",
        }
    }

    pub(super) fn extension(self) -> &'static str {
        match self {
            Self::Png => "png",
            Self::Jpeg => "jpg",
            Self::Gif => "gif",
            Self::WebP => "webp",
        }
    }
}

pub(super) fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    limits
}

pub(super) fn map_decode_error(err: image::ImageError) -> ImageError {
    match err {
        image::ImageError::Limits(_) => ImageError::DimensionsTooLarge,
        image::ImageError::Unsupported(_) => ImageError::UnsupportedType,
        _ => ImageError::Corrupt,
    }
}

/// Result of the cheap checks that run before any pixel data is decoded.
#[derive(Debug, Clone, Copy)]
pub(super) struct Inspected {
    pub(super) format: Format,
    pub(super) width: u32,
    pub(super) height: u32,
}

pub(super) fn inspect(bytes: &[u8], max_bytes: usize) -> Result<Inspected, ImageError> {
    if bytes.len() > max_bytes {
        return Err(ImageError::TooLarge);
    }
    let format = Format::sniff(bytes).ok_or(ImageError::UnsupportedType)?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format.image_format());
    reader.limits(limits());
    // Only parses the headers (IHDR, SOF, logical screen descriptor, VP8 header).
    let (width, height) = reader.into_dimensions().map_err(map_decode_error)?;
    let area = u64::from(width) * u64::from(height);
    if area == 0 {
        return Err(ImageError::Corrupt);
    }
    let max = if format == Format::Gif {
        MAX_GIF_MATRIX_PIXELS
    } else {
        MAX_MATRIX_PIXELS
    };
    if area > max {
        return Err(ImageError::DimensionsTooLarge);
    }
    Ok(Inspected {
        format,
        width,
        height,
    })
}

/// Full decode of a still image (first frame for animated WebP) with EXIF orientation applied.
pub(super) fn decode_still(bytes: &[u8], format: Format) -> Result<RgbaImage, ImageError> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format.image_format());
    reader.limits(limits());
    let mut decoder = reader.into_decoder().map_err(map_decode_error)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(map_decode_error)?;
    image.apply_orientation(orientation);
    Ok(image.into_rgba8())
}

pub(super) fn uses_alpha(image: &RgbaImage) -> bool {
    image.pixels().any(|p| p.0[3] != u8::MAX)
}

pub(super) fn rgb_bytes(image: &RgbaImage) -> Vec<u8> {
    image
        .pixels()
        .flat_map(|p| [p.0[0], p.0[1], p.0[2]])
        .collect()
}

/// Re-encodes `image` in `format`. Metadata (EXIF, XMP, ...) is not carried over.
pub(super) fn encode(image: &RgbaImage, format: Format) -> Result<ProcessedImage, ImageError> {
    let (width, height) = image.dimensions();
    let mut bytes = Vec::new();
    let result = match format {
        Format::Jpeg => JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY).write_image(
            &rgb_bytes(image),
            width,
            height,
            ExtendedColorType::Rgb8,
        ),
        Format::Png if !uses_alpha(image) => PngEncoder::new(&mut bytes).write_image(
            &rgb_bytes(image),
            width,
            height,
            ExtendedColorType::Rgb8,
        ),
        Format::Png => PngEncoder::new(&mut bytes).write_image(
            image.as_raw(),
            width,
            height,
            ExtendedColorType::Rgba8,
        ),
        Format::WebP => WebPEncoder::new_lossless(&mut bytes).write_image(
            image.as_raw(),
            width,
            height,
            ExtendedColorType::Rgba8,
        ),
        Format::Gif => GifEncoder::new_with_speed(&mut bytes, GIF_SPEED).encode(
            image.as_raw(),
            width,
            height,
            ExtendedColorType::Rgba8,
        ),
    };
    result.map_err(|_| ImageError::Corrupt)?;
    Ok(ProcessedImage {
        bytes,
        content_type: format.content_type(),
        extension: format.extension(),
        width,
        height,
    })
}
