//! Peak heap of processing one image, measured with a counting global allocator (one test
//! in its own binary, so nothing else allocates meanwhile).
#![allow(clippy::unwrap_used)]

use std::io::Cursor;

use image::{DynamicImage, ImageBuffer, ImageFormat, Rgb, Rgba};
use peak_alloc::PeakAlloc;
use woolly_media::image_processing::{ProfileImageKind, process_profile_image};

#[global_allocator]
static PEAK: PeakAlloc = PeakAlloc;

const W: u32 = 1000;
const H: u32 = 1000;
/// One full-size 8-bit RGBA picture.
const RGBA8: usize = (W * H * 4) as usize;

fn encode(image: DynamicImage) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, ImageFormat::Png).unwrap();
    out.into_inner()
}

fn rgba16() -> Vec<u8> {
    let img = ImageBuffer::from_fn(W, H, |x, y| {
        Rgba([(x * 65) as u16, (y * 65) as u16, 0xABCD, u16::MAX])
    });
    encode(DynamicImage::ImageRgba16(img))
}

fn rgb8() -> Vec<u8> {
    let img = ImageBuffer::from_fn(W, H, |x, y| Rgb([(x % 256) as u8, (y % 256) as u8, 7]));
    encode(DynamicImage::ImageRgb8(img))
}

/// Bytes allocated at the peak of processing `bytes` as an avatar, above what was live before.
fn peak_of_avatar(bytes: &[u8]) -> usize {
    let before = PEAK.current_usage();
    PEAK.reset_peak_usage();
    let out = process_profile_image(bytes, ProfileImageKind::Avatar).unwrap();
    assert_eq!((out.original.width, out.original.height), (400, 400));
    PEAK.peak_usage().saturating_sub(before)
}

/// A full-size picture is held once, as 8 bits per channel in its decoded layout: a
/// 16-bit PNG is not decoded to 16 bits, and nothing is converted to RGBA or premultiplied
/// into a copy at full size. The resizer's own pass buffer (source width x output height)
/// and the output come on top.
#[test]
fn an_image_job_holds_at_most_one_8_bit_picture() {
    let budget = RGBA8 + RGBA8 * 3 / 4;
    for (name, bytes) in [("16-bit RGBA PNG", rgba16()), ("8-bit RGB PNG", rgb8())] {
        let peak = peak_of_avatar(&bytes);
        println!("{name} {W}x{H} as an avatar: peak {peak} bytes (budget {budget})");
        assert!(peak <= budget, "{name}: peak {peak} > {budget}");
    }
}
