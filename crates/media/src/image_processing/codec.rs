//! Format sniffing, limited decoding and encoding for [`super`].

use std::io::Cursor;

use image::codecs::gif::GifEncoder;
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::codecs::webp::WebPEncoder;
use image::metadata::Orientation;
use image::{
    DynamicImage, ExtendedColorType, ImageBuffer, ImageDecoder, ImageEncoder, ImageFormat,
    ImageReader, Limits, RgbaImage,
};

use super::{ImageError, MAX_GIF_MATRIX_PIXELS, MAX_MATRIX_PIXELS, ProcessedImage};

/// Maximum width or height accepted by the decoders (strict `image::Limits`).
const MAX_SIDE: u32 = 32_768;
/// Bytes per pixel of a decoded picture: everything is decoded to 8 bits per channel, at
/// most RGBA (16-bit PNGs are stripped to 8 bits while decoding).
const MAX_BYTES_PER_PIXEL: u64 = 4;
/// Budget for one decoded picture: upstream's largest matrix (7680x4320) as 8-bit RGBA,
/// about 127 MiB. Checked from the header before decoding, and handed to the decoders.
pub const MAX_DECODE_BYTES: u64 = MAX_MATRIX_PIXELS * MAX_BYTES_PER_PIXEL;
/// Decoder bookkeeping (palettes, row buffers, metadata chunks) on top of the picture.
const DECODER_SLACK_BYTES: u64 = 8 * 1024 * 1024;
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
    limits.max_alloc = Some(MAX_DECODE_BYTES + DECODER_SLACK_BYTES);
    limits
}

fn map_png_error(err: png::DecodingError) -> ImageError {
    match err {
        png::DecodingError::LimitsExceeded => ImageError::DimensionsTooLarge,
        _ => ImageError::Corrupt,
    }
}

fn png_decoder(bytes: &[u8]) -> png::Decoder<Cursor<&[u8]>> {
    let limit = usize::try_from(DECODER_SLACK_BYTES).unwrap_or(usize::MAX);
    let mut decoder =
        png::Decoder::new_with_limits(Cursor::new(bytes), png::Limits { bytes: limit });
    // EXPAND: palettes and low bit depths to 8 bits; STRIP_16: 16-bit samples to 8 bits, so
    // a 16-bit picture never needs a buffer twice the size of its 8-bit equivalent.
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    decoder
}

/// Decoded bytes per pixel of a PNG, from its IHDR, after the 8-bit normalisation. Grey
/// and RGB may gain an alpha channel from a later `tRNS` chunk, so they count with it.
fn png_bytes_per_pixel(color: png::ColorType) -> u64 {
    match color {
        png::ColorType::Grayscale | png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb | png::ColorType::Rgba | png::ColorType::Indexed => 4,
    }
}

/// Width, height and decoded bytes per pixel, from the headers only (IHDR, SOF, logical
/// screen descriptor, VP8 header).
fn header(bytes: &[u8], format: Format) -> Result<(u32, u32, u64), ImageError> {
    if format == Format::Png {
        let mut decoder = png_decoder(bytes);
        let info = decoder.read_header_info().map_err(map_png_error)?;
        let (width, height) = (info.width, info.height);
        if width > MAX_SIDE || height > MAX_SIDE {
            return Err(ImageError::DimensionsTooLarge);
        }
        return Ok((width, height, png_bytes_per_pixel(info.color_type)));
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format.image_format());
    reader.limits(limits());
    let (width, height) = reader.into_dimensions().map_err(map_decode_error)?;
    Ok((width, height, MAX_BYTES_PER_PIXEL))
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
    let (width, height, bytes_per_pixel) = header(bytes, format)?;
    let area = u64::from(width) * u64::from(height);
    if area == 0 {
        return Err(ImageError::Corrupt);
    }
    let max = if format == Format::Gif {
        MAX_GIF_MATRIX_PIXELS
    } else {
        MAX_MATRIX_PIXELS
    };
    if area > max || area * bytes_per_pixel > MAX_DECODE_BYTES {
        return Err(ImageError::DimensionsTooLarge);
    }
    Ok(Inspected {
        format,
        width,
        height,
    })
}

/// Full decode of a still image (first frame for animated WebP and APNG) with EXIF
/// orientation applied, in the decoder's own 8-bit layout (grey, grey+alpha, RGB or RGBA):
/// converting a full-size picture to RGBA would need a second full-size buffer.
pub(super) fn decode_still(bytes: &[u8], format: Format) -> Result<DynamicImage, ImageError> {
    if format == Format::Png {
        return decode_png(bytes);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format.image_format());
    reader.limits(limits());
    let mut decoder = reader.into_decoder().map_err(map_decode_error)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(map_decode_error)?;
    image.apply_orientation(orientation);
    Ok(image)
}

/// PNG through the `png` crate: `image`'s PNG decoder keeps 16-bit samples (a 7680x4320
/// RGBA picture would take 265 MB, then 133 MB more as RGBA8); here they are stripped to 8
/// bits row by row.
fn decode_png(bytes: &[u8]) -> Result<DynamicImage, ImageError> {
    let mut reader = png_decoder(bytes).read_info().map_err(map_png_error)?;
    let size = reader
        .output_buffer_size()
        .ok_or(ImageError::DimensionsTooLarge)?;
    if u64::try_from(size).unwrap_or(u64::MAX) > MAX_DECODE_BYTES {
        return Err(ImageError::DimensionsTooLarge);
    }
    let mut buf = vec![0u8; size];
    let frame = reader.next_frame(&mut buf).map_err(map_png_error)?;
    buf.truncate(frame.buffer_size());
    let (width, height) = (frame.width, frame.height);
    let orientation = reader
        .info()
        .exif_metadata
        .as_deref()
        .and_then(Orientation::from_exif_chunk)
        .unwrap_or(Orientation::NoTransforms);
    let image = match frame.color_type {
        png::ColorType::Grayscale => {
            ImageBuffer::from_raw(width, height, buf).map(DynamicImage::ImageLuma8)
        }
        png::ColorType::GrayscaleAlpha => {
            ImageBuffer::from_raw(width, height, buf).map(DynamicImage::ImageLumaA8)
        }
        png::ColorType::Rgb => {
            ImageBuffer::from_raw(width, height, buf).map(DynamicImage::ImageRgb8)
        }
        png::ColorType::Rgba => {
            ImageBuffer::from_raw(width, height, buf).map(DynamicImage::ImageRgba8)
        }
        // EXPAND turns palettes into RGB(A).
        png::ColorType::Indexed => None,
    };
    let mut image = image.ok_or(ImageError::Corrupt)?;
    image.apply_orientation(orientation);
    Ok(image)
}

/// Frames of a GIF counted from its block structure, without decompressing any pixels;
/// stops and refuses as soon as `frames * canvas_pixels` would pass `pixel_budget` or the
/// frames pass `max_frames`.
pub(super) fn check_gif_budget(
    bytes: &[u8],
    canvas_pixels: u64,
    max_frames: usize,
    pixel_budget: u64,
) -> Result<usize, ImageError> {
    let mut options = gif::DecodeOptions::new();
    // LZW data is skipped over, not decoded (`next_frame_info` discards it).
    options.skip_frame_decoding(true);
    let mut decoder = options
        .read_info(Cursor::new(bytes))
        .map_err(|_| ImageError::Corrupt)?;
    let mut frames = 0usize;
    while decoder
        .next_frame_info()
        .map_err(|_| ImageError::Corrupt)?
        .is_some()
    {
        frames += 1;
        let pixels = canvas_pixels.saturating_mul(u64::try_from(frames).unwrap_or(u64::MAX));
        if frames > max_frames || pixels > pixel_budget {
            return Err(ImageError::DimensionsTooLarge);
        }
    }
    Ok(frames)
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
