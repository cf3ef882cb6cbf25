use std::io::Cursor;

use image::codecs::gif::{GifDecoder, GifEncoder, Repeat};
use image::{AnimationDecoder, DynamicImage, Frame, ImageDecoder, ImageFormat, RgbaImage};

use super::codec::check_gif_budget;

use super::*;

fn gradient(width: u32, height: u32) -> RgbaImage {
    RgbaImage::from_fn(width, height, |x, y| {
        image::Rgba([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8, 255])
    })
}

fn encode_with(image: &RgbaImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    let dynamic = if format == ImageFormat::Jpeg {
        DynamicImage::ImageRgb8(DynamicImage::ImageRgba8(image.clone()).to_rgb8())
    } else {
        DynamicImage::ImageRgba8(image.clone())
    };
    dynamic.write_to(&mut out, format).unwrap();
    out.into_inner()
}

fn png(width: u32, height: u32) -> Vec<u8> {
    encode_with(&gradient(width, height), ImageFormat::Png)
}

fn animated_gif(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut encoder = GifEncoder::new(&mut out);
        encoder.set_repeat(Repeat::Infinite).unwrap();
        let red = RgbaImage::from_pixel(width, height, image::Rgba([255, 0, 0, 255]));
        let blue = RgbaImage::from_pixel(width, height, image::Rgba([0, 0, 255, 255]));
        let delay = image::Delay::from_numer_denom_ms(100, 1);
        encoder
            .encode_frames([
                Frame::from_parts(red, 0, 0, delay),
                Frame::from_parts(blue, 0, 0, delay),
            ])
            .unwrap();
    }
    out
}

fn dims(bytes: &[u8]) -> (u32, u32) {
    image::load_from_memory(bytes)
        .unwrap()
        .to_rgba8()
        .dimensions()
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// A PNG claiming 9000x5000 whose IDAT is garbage: a full decode would fail with
/// `Corrupt`, so `DimensionsTooLarge` proves the header check runs first.
fn crafted_png(width: u32, height: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", b"definitely not zlib");
    chunk(&mut out, b"IEND", &[]);
    out
}

#[test]
fn avatar_is_cropped_to_400_square() {
    let out = process_profile_image(&png(800, 600), ProfileImageKind::Avatar).unwrap();
    assert_eq!((out.original.width, out.original.height), (400, 400));
    assert_eq!(out.original.content_type, "image/png");
    assert_eq!(out.original.extension, "png");
    assert_eq!(dims(&out.original.bytes), (400, 400));
    assert!(out.static_variant.is_none());
}

#[test]
fn jpeg_avatar_stays_jpeg() {
    let bytes = encode_with(&gradient(600, 900), ImageFormat::Jpeg);
    let out = process_profile_image(&bytes, ProfileImageKind::Avatar).unwrap();
    assert_eq!(out.original.content_type, "image/jpeg");
    assert_eq!(out.original.extension, "jpg");
    assert_eq!(dims(&out.original.bytes), (400, 400));
}

#[test]
fn webp_avatar_stays_webp() {
    let bytes = encode_with(&gradient(500, 500), ImageFormat::WebP);
    let out = process_profile_image(&bytes, ProfileImageKind::Avatar).unwrap();
    assert_eq!(out.original.content_type, "image/webp");
    assert_eq!(dims(&out.original.bytes), (400, 400));
}

#[test]
fn small_static_avatar_is_upscaled_like_upstream() {
    let out = process_profile_image(&png(100, 50), ProfileImageKind::Avatar).unwrap();
    assert_eq!((out.original.width, out.original.height), (400, 400));
    assert_eq!(dims(&out.original.bytes), (400, 400));
}

#[test]
fn header_is_downscaled_to_area_keeping_aspect() {
    let out = process_profile_image(&png(3000, 1000), ProfileImageKind::Header).unwrap();
    let (w, h) = (out.original.width, out.original.height);
    assert!(u64::from(w) * u64::from(h) <= 750_000);
    assert_eq!((w, h), (1500, 500));
    assert_eq!(dims(&out.original.bytes), (1500, 500));

    let out = process_profile_image(&png(2000, 1100), ProfileImageKind::Header).unwrap();
    let (w, h) = (out.original.width, out.original.height);
    assert!(u64::from(w) * u64::from(h) <= 750_000);
    let ratio = f64::from(w) / f64::from(h);
    assert!((ratio - 2000.0 / 1100.0).abs() < 0.01);
}

#[test]
fn small_header_is_not_upscaled() {
    let out = process_profile_image(&png(300, 100), ProfileImageKind::Header).unwrap();
    assert_eq!((out.original.width, out.original.height), (300, 100));
}

#[test]
fn huge_matrix_is_rejected_before_decoding() {
    let bytes = crafted_png(9000, 5000);
    for kind in [ProfileImageKind::Avatar, ProfileImageKind::Header] {
        assert_eq!(
            process_profile_image(&bytes, kind),
            Err(ImageError::DimensionsTooLarge)
        );
    }
    assert_eq!(
        process_attachment_image(&bytes).unwrap_err(),
        ImageError::DimensionsTooLarge
    );
    // Same garbage IDAT with acceptable dimensions fails in the full decode.
    assert_eq!(
        process_profile_image(&crafted_png(90, 50), ProfileImageKind::Avatar),
        Err(ImageError::Corrupt)
    );
}

#[test]
fn oversized_gif_matrix_is_rejected() {
    // 1281x720 > 921_600 px; logical screen size is read from the header.
    assert_eq!(
        process_profile_image(&tiny_frame_gif(1281, 720), ProfileImageKind::Avatar),
        Err(ImageError::DimensionsTooLarge)
    );
    let ok = process_profile_image(&tiny_frame_gif(1280, 720), ProfileImageKind::Avatar).unwrap();
    assert_eq!((ok.original.width, ok.original.height), (400, 400));
    assert!(ok.static_variant.is_none());
}

fn tiny_frame_gif(width: u16, height: u16) -> Vec<u8> {
    let mut bytes = b"GIF89a".to_vec();
    bytes.extend_from_slice(&width.to_le_bytes());
    bytes.extend_from_slice(&height.to_le_bytes());
    bytes.extend_from_slice(&[0, 0, 0]); // no global colour table
    // 1x1 frame with a 2-entry local colour table, minimal LZW data, trailer.
    bytes.extend_from_slice(&[0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0x80]);
    bytes.extend_from_slice(&[0, 0, 0, 255, 255, 255]);
    bytes.extend_from_slice(&[0x02, 0x02, 0x44, 0x01, 0x00, 0x3B]);
    bytes
}

#[test]
fn corrupt_bytes_are_rejected() {
    let mut bytes = png(64, 64);
    bytes.truncate(40);
    assert_eq!(
        process_profile_image(&bytes, ProfileImageKind::Avatar),
        Err(ImageError::Corrupt)
    );
    let jpeg_garbage = [0xFF, 0xD8, 0xFF, 0x00, 0x13, 0x37, 0x42];
    assert_eq!(
        process_attachment_image(&jpeg_garbage).unwrap_err(),
        ImageError::Corrupt
    );
}

#[test]
fn text_is_unsupported() {
    let text = b"hello, this is definitely not an image\n";
    assert_eq!(
        process_profile_image(text, ProfileImageKind::Header),
        Err(ImageError::UnsupportedType)
    );
    assert_eq!(
        process_attachment_image(text).unwrap_err(),
        ImageError::UnsupportedType
    );
}

#[test]
fn files_over_the_limit_are_too_large() {
    let mut bytes = png(8, 8);
    bytes.resize(PROFILE_IMAGE_LIMIT + 1, 0);
    assert_eq!(
        process_profile_image(&bytes, ProfileImageKind::Avatar),
        Err(ImageError::TooLarge)
    );
    bytes.resize(ATTACHMENT_IMAGE_LIMIT + 1, 0);
    assert_eq!(
        process_attachment_image(&bytes).unwrap_err(),
        ImageError::TooLarge
    );
}

#[test]
fn animated_gif_avatar_keeps_animation_and_gets_png_static() {
    let out = process_profile_image(&animated_gif(200, 100), ProfileImageKind::Avatar).unwrap();
    assert_eq!(out.original.content_type, "image/gif");
    assert_eq!((out.original.width, out.original.height), (100, 100));
    let decoder = GifDecoder::new(Cursor::new(out.original.bytes.as_slice())).unwrap();
    assert_eq!(decoder.dimensions(), (100, 100));
    assert_eq!(decoder.into_frames().count(), 2);

    let still = out.static_variant.unwrap();
    assert_eq!(still.content_type, "image/png");
    assert_eq!(still.extension, "png");
    assert!(still.bytes.starts_with(b"\x89PNG"));
    assert_eq!(dims(&still.bytes), (100, 100));
}

#[test]
fn fitting_animated_gif_is_kept_verbatim() {
    let bytes = animated_gif(300, 300);
    let out = process_profile_image(&bytes, ProfileImageKind::Avatar).unwrap();
    assert_eq!(out.original.bytes, bytes);
    assert_eq!(dims(&out.static_variant.unwrap().bytes), (300, 300));
}

#[test]
fn attachment_produces_small_and_blurhash() {
    let out = process_attachment_image(&png(1920, 1080)).unwrap();
    assert_eq!((out.original.width, out.original.height), (1920, 1080));
    assert_eq!(out.original.content_type, "image/png");
    let (w, h) = (out.small.width, out.small.height);
    assert!(u64::from(w) * u64::from(h) <= ATTACHMENT_SMALL_PIXELS);
    assert_eq!((w, h), (640, 360));
    assert_eq!(out.small.content_type, "image/jpeg");
    assert_eq!(dims(&out.small.bytes), (640, 360));
    // 4x4 components: 1 + 1 + 4 + 2 * (16 - 1) characters.
    assert_eq!(out.blurhash.len(), 36);
}

#[test]
fn large_attachment_is_downscaled() {
    let out = process_attachment_image(&png(5000, 2000)).unwrap();
    let area = u64::from(out.original.width) * u64::from(out.original.height);
    assert!(area <= ATTACHMENT_MAX_PIXELS);
    assert_eq!(out.original.width, 4553);
}

#[test]
fn transparent_attachment_small_is_png_and_gif_kept() {
    let clear = RgbaImage::from_pixel(100, 100, image::Rgba([0, 0, 0, 0]));
    let out = process_attachment_image(&encode_with(&clear, ImageFormat::Png)).unwrap();
    assert_eq!(out.small.content_type, "image/png");

    let gif = animated_gif(320, 240);
    let out = process_attachment_image(&gif).unwrap();
    assert_eq!(out.original.bytes, gif);
    assert_eq!((out.small.width, out.small.height), (320, 240));
    assert_eq!(out.blurhash.len(), 36);
}

#[test]
fn plan_fit_area_never_exceeds_budget() {
    for (w, h) in [(3001, 997), (7680, 4320), (1, 33_000), (12_345, 2_345)] {
        let plan = plan_fit_area(w, h, HEADER_MAX_PIXELS);
        assert!(u64::from(plan.width) * u64::from(plan.height) <= HEADER_MAX_PIXELS);
        assert!(plan.width >= 1 && plan.height >= 1);
    }
}

/// A GIF of `frames` 1x1 frames on a `width`x`height` canvas. The frames after the first
/// carry `later_lzw` as their compressed data (one sub-block).
fn many_frame_gif(width: u16, height: u16, frames: usize, later_lzw: &[u8]) -> Vec<u8> {
    let mut bytes = b"GIF89a".to_vec();
    bytes.extend_from_slice(&width.to_le_bytes());
    bytes.extend_from_slice(&height.to_le_bytes());
    bytes.extend_from_slice(&[0, 0, 0]); // no global colour table
    for i in 0..frames {
        // 1x1 frame at the origin with a 2-entry local colour table, LZW minimum code size 2.
        bytes.extend_from_slice(&[0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0x80]);
        bytes.extend_from_slice(&[0, 0, 0, 255, 255, 255, 0x02]);
        let data: &[u8] = if i == 0 { &[0x44, 0x01] } else { later_lzw };
        bytes.push(data.len() as u8);
        bytes.extend_from_slice(data);
        bytes.push(0);
    }
    bytes.push(0x3B);
    bytes
}

/// Codes 7 right after the start: not a valid LZW stream, so decoding such a frame fails.
const GARBAGE_LZW: &[u8] = &[0xFF, 0xFF];

#[test]
fn gif_over_the_frame_budget_is_refused_before_frames_are_decoded() {
    // 300 canvases of 1280x720 pass the 200 MP resize budget. Frame 2 is not decodable, so
    // `DimensionsTooLarge` (not `Corrupt`) shows the frames were counted, not decoded.
    let bytes = many_frame_gif(1280, 720, 300, GARBAGE_LZW);
    for kind in [ProfileImageKind::Avatar, ProfileImageKind::Header] {
        assert_eq!(
            process_profile_image(&bytes, kind),
            Err(ImageError::DimensionsTooLarge)
        );
    }
    // Past GIF_MAX_FRAMES on a small canvas.
    let bytes = many_frame_gif(500, 500, 3001, GARBAGE_LZW);
    assert_eq!(
        process_profile_image(&bytes, ProfileImageKind::Avatar),
        Err(ImageError::DimensionsTooLarge)
    );
}

#[test]
fn gif_within_the_frame_budget_is_resized() {
    let valid = [0x44, 0x01];
    let out = process_profile_image(
        &many_frame_gif(1280, 720, 3, &valid),
        ProfileImageKind::Avatar,
    )
    .unwrap();
    assert_eq!((out.original.width, out.original.height), (400, 400));
    let decoder = GifDecoder::new(Cursor::new(out.original.bytes.as_slice())).unwrap();
    assert_eq!(decoder.into_frames().count(), 3);
    assert!(out.static_variant.is_some());
}

#[test]
fn gif_frames_are_counted_from_the_block_structure() {
    let bytes = many_frame_gif(100, 100, 7, GARBAGE_LZW);
    assert_eq!(check_gif_budget(&bytes, 10_000, 10, 1_000_000), Ok(7));
    assert_eq!(
        check_gif_budget(&bytes, 10_000, 6, 1_000_000),
        Err(ImageError::DimensionsTooLarge)
    );
    assert_eq!(
        check_gif_budget(&bytes, 10_000, 10, 69_999),
        Err(ImageError::DimensionsTooLarge)
    );
    let mut truncated = bytes.clone();
    truncated.truncate(60);
    assert_eq!(
        check_gif_budget(&truncated, 10_000, 10, 1_000_000),
        Err(ImageError::Corrupt)
    );
}

/// A 16-bit PNG comes out as 8 bits per channel (the high byte), in its own layout.
#[test]
fn sixteen_bit_png_decodes_to_8_bits() {
    let img = image::ImageBuffer::from_fn(64, 48, |x, _| {
        image::Rgba([0xAB00 | x as u16, 0x1234, 0xFFFF, 0xFFFF])
    });
    let bytes = {
        let mut out = Cursor::new(Vec::new());
        DynamicImage::ImageRgba16(img)
            .write_to(&mut out, ImageFormat::Png)
            .unwrap();
        out.into_inner()
    };
    let decoded = codec::decode_still(&bytes, codec::Format::Png).unwrap();
    let DynamicImage::ImageRgba8(rgba) = decoded else {
        panic!("not RGBA8: {:?}", decoded.color());
    };
    assert_eq!(rgba.get_pixel(5, 5).0, [0xAB, 0x12, 0xFF, 0xFF]);
    let out = process_attachment_image(&bytes).unwrap();
    assert_eq!((out.original.width, out.original.height), (64, 48));
}

/// Resizing in the decoded layout with in-place premultiplied alpha gives what resizing
/// an RGBA copy gave.
#[test]
fn resizing_in_the_decoded_layout_matches_rgba() {
    let img = RgbaImage::from_fn(300, 200, |x, y| {
        image::Rgba([(x % 256) as u8, (y % 256) as u8, 40, ((x * y) % 256) as u8])
    });
    let plan = plan_square(300, 200, 100, true);
    let via_rgba = resize(&img, plan).unwrap();
    let owned = resize_decoded(DynamicImage::ImageRgba8(img), plan).unwrap();
    let diff = via_rgba
        .as_raw()
        .iter()
        .zip(owned.as_raw())
        .map(|(a, b)| a.abs_diff(*b))
        .max()
        .unwrap();
    assert!(diff <= 1, "max channel difference {diff}");
}

/// Times the refusal of a hostile avatar: 300 full 1280x720 frames (a moving pattern, so
/// the file stays under the 8 MB upload limit). Run with
/// `cargo test -p woolly-media --lib hostile_gif -- --ignored --nocapture`.
#[test]
#[ignore = "prints a timing; not a test of speed"]
fn hostile_gif_refusal_time() {
    let (width, height) = (1280u16, 720u16);
    let mut bytes = Vec::new();
    {
        let palette: Vec<u8> = (0..=255u8)
            .flat_map(|i| [i, i.wrapping_mul(7), 255 - i])
            .collect();
        let mut encoder = gif::Encoder::new(&mut bytes, width, height, &palette).unwrap();
        for i in 0..300usize {
            // A checkerboard of 160x90 squares, shifted by one square per frame.
            let mut pixels = Vec::with_capacity(usize::from(width) * usize::from(height));
            for y in 0..usize::from(height) {
                let row: Vec<u8> = (0..usize::from(width))
                    .map(|x| ((x / 160 + y / 90 + i) % 2) as u8)
                    .collect();
                pixels.extend_from_slice(&row);
            }
            let frame = gif::Frame {
                width,
                height,
                buffer: std::borrow::Cow::Owned(pixels),
                ..gif::Frame::default()
            };
            encoder.write_frame(&frame).unwrap();
        }
    }
    assert!(bytes.len() <= PROFILE_IMAGE_LIMIT, "{} bytes", bytes.len());
    let start = std::time::Instant::now();
    let result = process_profile_image(&bytes, ProfileImageKind::Avatar);
    println!(
        "300-frame 1280x720 GIF ({} bytes) as an avatar: {:?} in {:?}",
        bytes.len(),
        result.map(|_| ()),
        start.elapsed()
    );
}
