//! Image processing for profile images (avatar/header) and media attachments.
//!
//! Pure and synchronous: callers should run it on `spawn_blocking`.
//!
//! Pipeline: size check -> magic-byte sniffing -> header-only dimension and byte-budget
//! check (with `image::Limits` applied) -> for GIFs that need resizing, a frame count from
//! the block structure -> full decode (same limits, 16-bit PNG straight to 8-bit) -> EXIF
//! orientation -> resize with `fast_image_resize` (Lanczos3) in the decoded pixel layout
//! -> re-encode (strips metadata).
//!
//! Peak memory of one job is about one decoded picture (at most [`MAX_DECODE_BYTES`])
//! plus the resized output; callers bound how many jobs run at once.
//!
//! Upstream reference (mastodon/mastodon):
//! * `Account::Avatar`: `'400x400#'`, processed by `Paperclip::LazyThumbnail`
//!   (`vips_lazy_thumbnail.rb`) with `Vips::Image.thumbnail(.., crop: :centre)`
//!   and no `size: :down`, i.e. static avatars are centre-cropped and scaled to
//!   exactly 400x400, *upscaling* smaller images. Animated GIFs go through ffmpeg
//!   with `iw`/`ih` when smaller, i.e. they are cropped to a square but never
//!   upscaled. We do the same.
//! * `Account::Header`: `pixels: 750_000`, only downscaled when larger.
//! * `MediaAttachment::IMAGE_STYLES`: original `pixels: 8_294_400`,
//!   small `pixels: 230_400` (640x360), `BLURHASH_OPTIONS` x/y components 4.

mod codec;

use std::io::Cursor;

use fast_image_resize as fr;
use image::codecs::gif::{GifDecoder, GifEncoder, Repeat};
use image::{AnimationDecoder, DynamicImage, Frame, ImageBuffer, ImageDecoder, RgbaImage};

pub use codec::MAX_DECODE_BYTES;
use codec::{
    Format, GIF_SPEED, check_gif_budget, decode_still, encode, inspect, limits, map_decode_error,
    uses_alpha,
};

/// Upload limit for avatars and headers (bytes).
pub const PROFILE_IMAGE_LIMIT: usize = 8 * 1024 * 1024;
/// Upload limit for image attachments (bytes).
pub const ATTACHMENT_IMAGE_LIMIT: usize = 16 * 1024 * 1024;
/// Maximum pixel matrix for any image (7680x4320).
pub const MAX_MATRIX_PIXELS: u64 = 33_177_600;
/// Maximum pixel matrix for GIFs (1280x720).
pub const MAX_GIF_MATRIX_PIXELS: u64 = 921_600;
/// Avatar side length.
pub const AVATAR_SIZE: u32 = 400;
/// Maximum header area (1500x500).
pub const HEADER_MAX_PIXELS: u64 = 750_000;
/// Maximum area of an attachment's original (3840x2160).
pub const ATTACHMENT_MAX_PIXELS: u64 = 8_294_400;
/// Area of an attachment's preview (640x360).
pub const ATTACHMENT_SMALL_PIXELS: u64 = 230_400;

/// Processing budget for resizing animated GIFs: total source pixels over all frames.
const GIF_PIXEL_BUDGET: u64 = 200_000_000;
/// Upstream `GIF_MAX_FRAMES`.
const GIF_MAX_FRAMES: usize = 3000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileImageKind {
    Avatar,
    Header,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ImageError {
    #[error("file type not supported")]
    UnsupportedType,
    #[error("file too large")]
    TooLarge,
    #[error("dimensions too large")]
    DimensionsTooLarge,
    #[error("image could not be decoded")]
    Corrupt,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessedImage {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    pub extension: &'static str,
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessedProfileImage {
    pub original: ProcessedImage,
    /// Some only for animated GIFs: a PNG of the first frame, resized the same way.
    pub static_variant: Option<ProcessedImage>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessedAttachment {
    pub original: ProcessedImage,
    pub small: ProcessedImage,
    pub blurhash: String,
}

/// Target geometry: optional source crop rectangle (left, top, width, height) and output size.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Plan {
    crop: Option<(f64, f64, f64, f64)>,
    width: u32,
    height: u32,
}

impl Plan {
    fn is_identity(&self, width: u32, height: u32) -> bool {
        self.crop.is_none() && self.width == width && self.height == height
    }
}

/// Centre-crop to a square; `upscale` decides whether sides below `size` are enlarged.
fn plan_square(width: u32, height: u32, size: u32, upscale: bool) -> Plan {
    let side = width.min(height);
    let crop = (width != height).then(|| {
        let left = f64::from(width - side) / 2.0;
        let top = f64::from(height - side) / 2.0;
        (left, top, f64::from(side), f64::from(side))
    });
    let target = if upscale { size } else { side.min(size) };
    Plan {
        crop,
        width: target,
        height: target,
    }
}

/// Downscale (never upscale) so that `width * height <= max_pixels`, keeping the aspect ratio.
fn plan_fit_area(width: u32, height: u32, max_pixels: u64) -> Plan {
    let area = u64::from(width) * u64::from(height);
    if area <= max_pixels {
        return Plan {
            crop: None,
            width,
            height,
        };
    }
    let scale = (max_pixels as f64 / area as f64).sqrt();
    let mut w = ((f64::from(width) * scale).floor() as u32).clamp(1, width);
    let mut h = ((f64::from(height) * scale).floor() as u32).clamp(1, height);
    while u64::from(w) * u64::from(h) > max_pixels {
        if w >= h && w > 1 {
            w -= 1;
        } else if h > 1 {
            h -= 1;
        } else {
            break;
        }
    }
    Plan {
        crop: None,
        width: w,
        height: h,
    }
}

/// Resizes raw 8-bit pixels of `pixel_type`; the output has the same layout.
/// `use_alpha` lets the resizer premultiply alpha into a temporary full-size copy.
fn resize_raw(
    (width, height): (u32, u32),
    pixels: &[u8],
    pixel_type: fr::PixelType,
    plan: Plan,
    use_alpha: bool,
) -> Result<Vec<u8>, ImageError> {
    let src_view = fr::images::ImageRef::new(width, height, pixels, pixel_type)
        .map_err(|_| ImageError::Corrupt)?;
    let mut dst = fr::images::Image::new(plan.width, plan.height, pixel_type);
    let mut options = fr::ResizeOptions::new()
        .resize_alg(fr::ResizeAlg::Convolution(fr::FilterType::Lanczos3))
        .use_alpha(use_alpha);
    if let Some((left, top, width, height)) = plan.crop {
        options = options.crop(left, top, width, height);
    }
    fr::Resizer::new()
        .resize(&src_view, &mut dst, &options)
        .map_err(|_| ImageError::Corrupt)?;
    Ok(dst.into_vec())
}

fn resize(src: &RgbaImage, plan: Plan) -> Result<RgbaImage, ImageError> {
    if plan.is_identity(src.width(), src.height()) {
        return Ok(src.clone());
    }
    let out = resize_raw(
        src.dimensions(),
        src.as_raw(),
        fr::PixelType::U8x4,
        plan,
        true,
    )?;
    RgbaImage::from_raw(plan.width, plan.height, out).ok_or(ImageError::Corrupt)
}

/// Resizes pixels with an alpha channel that we own: premultiplied in place, resized,
/// and divided again on the (small) output, so no second full-size buffer is needed.
fn resize_alpha_owned(
    size: (u32, u32),
    pixels: &mut [u8],
    pixel_type: fr::PixelType,
    plan: Plan,
) -> Result<Vec<u8>, ImageError> {
    let mul_div = fr::MulDiv::default();
    let mut src = fr::images::Image::from_slice_u8(size.0, size.1, pixels, pixel_type)
        .map_err(|_| ImageError::Corrupt)?;
    mul_div
        .multiply_alpha_inplace(&mut src)
        .map_err(|_| ImageError::Corrupt)?;
    let mut out = resize_raw(size, src.buffer(), pixel_type, plan, false)?;
    let mut dst = fr::images::Image::from_slice_u8(plan.width, plan.height, &mut out, pixel_type)
        .map_err(|_| ImageError::Corrupt)?;
    mul_div
        .divide_alpha_inplace(&mut dst)
        .map_err(|_| ImageError::Corrupt)?;
    Ok(out)
}

/// Resizes a decoded picture in its own layout and only then converts the (smaller)
/// result to RGBA, so the full-size picture is never copied.
fn resize_decoded(src: DynamicImage, plan: Plan) -> Result<RgbaImage, ImageError> {
    let size = (src.width(), src.height());
    if plan.is_identity(size.0, size.1) {
        return Ok(src.into_rgba8());
    }
    let (w, h) = (plan.width, plan.height);
    let resized = match src {
        DynamicImage::ImageLuma8(img) => resize_raw(size, &img, fr::PixelType::U8, plan, false)
            .map(|v| ImageBuffer::from_raw(w, h, v).map(DynamicImage::ImageLuma8)),
        DynamicImage::ImageLumaA8(mut img) => {
            resize_alpha_owned(size, &mut img, fr::PixelType::U8x2, plan)
                .map(|v| ImageBuffer::from_raw(w, h, v).map(DynamicImage::ImageLumaA8))
        }
        DynamicImage::ImageRgb8(img) => resize_raw(size, &img, fr::PixelType::U8x3, plan, false)
            .map(|v| ImageBuffer::from_raw(w, h, v).map(DynamicImage::ImageRgb8)),
        DynamicImage::ImageRgba8(mut img) => {
            resize_alpha_owned(size, &mut img, fr::PixelType::U8x4, plan)
                .map(|v| ImageBuffer::from_raw(w, h, v).map(DynamicImage::ImageRgba8))
        }
        // Not produced by our decoders (all 8-bit); kept correct rather than lean.
        other => return resize(&other.to_rgba8(), plan),
    }?;
    Ok(resized.ok_or(ImageError::Corrupt)?.into_rgba8())
}

/// Processes an avatar or header.
///
/// * Avatar (static): centre-crop to a square and scale to exactly 400x400, upscaling
///   smaller images like upstream's `vips thumbnail crop: :centre`.
/// * Avatar (GIF): centre-crop to a square, downscale to at most 400x400, never upscale.
/// * Header: downscale to at most 750 000 px keeping aspect ratio, never upscale.
/// * GIFs whose geometry already fits are returned byte-for-byte; otherwise every frame
///   is resized and re-encoded (looping forever). Animated GIFs get a PNG `static_variant`
///   of the first frame with the same dimensions as `original`.
/// * Animated WebP is flattened to its first frame.
pub fn process_profile_image(
    bytes: &[u8],
    kind: ProfileImageKind,
) -> Result<ProcessedProfileImage, ImageError> {
    let info = inspect(bytes, PROFILE_IMAGE_LIMIT)?;
    let is_gif = info.format == Format::Gif;
    let plan = |width: u32, height: u32| match kind {
        ProfileImageKind::Avatar => plan_square(width, height, AVATAR_SIZE, !is_gif),
        ProfileImageKind::Header => plan_fit_area(width, height, HEADER_MAX_PIXELS),
    };
    if is_gif {
        return process_gif(bytes, plan(info.width, info.height));
    }
    let image = decode_still(bytes, info.format)?;
    let plan = plan(image.width(), image.height());
    let resized = resize_decoded(image, plan)?;
    Ok(ProcessedProfileImage {
        original: encode(&resized, info.format)?,
        static_variant: None,
    })
}

fn process_gif(bytes: &[u8], plan: Plan) -> Result<ProcessedProfileImage, ImageError> {
    let mut decoder = GifDecoder::new(Cursor::new(bytes)).map_err(map_decode_error)?;
    decoder.set_limits(limits()).map_err(map_decode_error)?;
    let (width, height) = decoder.dimensions();
    // Every frame is decoded onto the full canvas and resized: refuse over budget from the
    // block structure, before spending CPU on any of them.
    let frame_pixels = u64::from(width) * u64::from(height);
    if !plan.is_identity(width, height) {
        check_gif_budget(bytes, frame_pixels, GIF_MAX_FRAMES, GIF_PIXEL_BUDGET)?;
    }
    let mut frames = decoder.into_frames();
    let first = frames
        .next()
        .ok_or(ImageError::Corrupt)?
        .map_err(map_decode_error)?;

    if plan.is_identity(width, height) {
        let animated = match frames.next() {
            Some(frame) => frame.map(|_| true).map_err(map_decode_error)?,
            None => false,
        };
        let static_variant = if animated {
            Some(encode(first.buffer(), Format::Png)?)
        } else {
            None
        };
        return Ok(ProcessedProfileImage {
            original: ProcessedImage {
                bytes: bytes.to_vec(),
                content_type: Format::Gif.content_type(),
                extension: Format::Gif.extension(),
                width,
                height,
            },
            static_variant,
        });
    }

    let still = resize(first.buffer(), plan)?;
    let mut out = Vec::new();
    let mut count = 1usize;
    {
        let mut encoder = GifEncoder::new_with_speed(&mut out, GIF_SPEED);
        encoder
            .set_repeat(Repeat::Infinite)
            .map_err(|_| ImageError::Corrupt)?;
        encoder
            .encode_frame(Frame::from_parts(still.clone(), 0, 0, first.delay()))
            .map_err(|_| ImageError::Corrupt)?;
        for frame in frames {
            let frame = frame.map_err(map_decode_error)?;
            count += 1;
            // The structure was counted above; this guards the decoder disagreeing with it.
            if count > GIF_MAX_FRAMES || frame_pixels * count as u64 > GIF_PIXEL_BUDGET {
                return Err(ImageError::DimensionsTooLarge);
            }
            let delay = frame.delay();
            let resized = resize(frame.buffer(), plan)?;
            encoder
                .encode_frame(Frame::from_parts(resized, 0, 0, delay))
                .map_err(|_| ImageError::Corrupt)?;
        }
    }
    let static_variant = if count > 1 {
        Some(encode(&still, Format::Png)?)
    } else {
        None
    };
    Ok(ProcessedProfileImage {
        original: ProcessedImage {
            bytes: out,
            content_type: Format::Gif.content_type(),
            extension: Format::Gif.extension(),
            width: still.width(),
            height: still.height(),
        },
        static_variant,
    })
}

/// Processes an image attachment (`POST /api/v2/media`).
///
/// * `original`: still images are re-encoded in their own format (metadata stripped,
///   EXIF orientation applied), downscaled to at most 8 294 400 px. GIFs are kept
///   byte-for-byte (they are at most 921 600 px, so never need downscaling);
///   upstream would transcode them to a gifv MP4, which is out of scope here.
/// * `small`: first frame fitted into 230 400 px; JPEG unless it has transparency (PNG).
/// * `blurhash`: of `small`, 4x4 components.
pub fn process_attachment_image(bytes: &[u8]) -> Result<ProcessedAttachment, ImageError> {
    let info = inspect(bytes, ATTACHMENT_IMAGE_LIMIT)?;
    let (original, still) = if info.format == Format::Gif {
        let mut decoder = GifDecoder::new(Cursor::new(bytes)).map_err(map_decode_error)?;
        decoder.set_limits(limits()).map_err(map_decode_error)?;
        let first = decoder
            .into_frames()
            .next()
            .ok_or(ImageError::Corrupt)?
            .map_err(map_decode_error)?;
        let original = ProcessedImage {
            bytes: bytes.to_vec(),
            content_type: Format::Gif.content_type(),
            extension: Format::Gif.extension(),
            width: info.width,
            height: info.height,
        };
        (original, first.into_buffer())
    } else {
        let image = decode_still(bytes, info.format)?;
        let plan = plan_fit_area(image.width(), image.height(), ATTACHMENT_MAX_PIXELS);
        let resized = resize_decoded(image, plan)?;
        (encode(&resized, info.format)?, resized)
    };

    let plan = plan_fit_area(still.width(), still.height(), ATTACHMENT_SMALL_PIXELS);
    let small_image = resize(&still, plan)?;
    let small_format = if uses_alpha(&small_image) {
        Format::Png
    } else {
        Format::Jpeg
    };
    let blurhash = blurhash::encode(
        4,
        4,
        small_image.width(),
        small_image.height(),
        small_image.as_raw(),
    )
    .map_err(|_| ImageError::Corrupt)?;
    Ok(ProcessedAttachment {
        original,
        small: encode(&small_image, small_format)?,
        blurhash,
    })
}

#[cfg(test)]
mod tests;
