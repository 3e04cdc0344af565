"""Strings about the learner's pictures: reading them safely and preparing them for a network."""

STRINGS: dict[str, tuple[str, str]] = {
    "img.err.empty": ("The file is empty (0 bytes). Choose another picture.", "文件是空的（0 字节）。请换一张图片。"),
    "img.err.svg": (
        "SVG drawings are vector graphics, not pixels. Export the drawing as PNG and upload that.",
        "SVG 是矢量图，不是像素图。请把它导出为 PNG 后再上传。",
    ),
    "img.err.not_image": (
        "This file is not a picture that can be read (PNG, JPEG, GIF, BMP, WebP or TIFF). It may be damaged, "
        "or another kind of file renamed. Choose another picture.",
        "无法把这个文件读成图片（支持 PNG、JPEG、GIF、BMP、WebP、TIFF）。它可能已损坏，或是被改了扩展名的其他文件。"
        "请换一张图片。",
    ),
    "img.err.too_many_bytes": (
        "The picture is {width}×{height} pixels of kind {mode}: decoded, it would take {size} MB, more than the "
        "limit of {limit} MB. Save it smaller, or as an ordinary 8-bit PNG or JPEG.",
        "这张图片有 {width}×{height} 像素（类型 {mode}）：解码后要占 {size} MB，超过了 {limit} MB 的上限。"
        "请把它存得小一些，或存成普通的 8 位 PNG 或 JPEG。",
    ),
    "img.err.too_big_pixels": (
        "The picture has {pixels} pixels, more than the limit of {limit} pixels. Make it smaller first.",
        "这张图片有 {pixels} 像素，超过了 {limit} 像素的上限。请先把它缩小。",
    ),
    "img.err.too_big": (
        "The picture is {width}×{height} pixels, more than the limit of {limit} pixels. Make it smaller first.",
        "这张图片有 {width}×{height} 像素，超过了 {limit} 像素的上限。请先把它缩小。",
    ),
    "img.err.empty_sketch": ("Draw a digit on the sketchpad first.", "请先在画板上写一个数字。"),
    "img.err.no_image": ("Choose a picture first: upload one, use the webcam, draw, or click an example.",
                         "请先选择一张图片：上传、使用摄像头、手绘，或点击一个示例。"),
    "img.err.fit": ("Unknown way to make the picture square: '{fit}'. Use pad or crop.",
                    "未知的取方形方式“{fit}”。请选择填充或裁剪。"),
    "img.note.animated": ("An animated picture ({frames} frames): its first frame is used.",
                          "这是一张动图（{frames} 帧）：使用它的第一帧。"),
    "img.note.rotated": ("Turned upright as its EXIF orientation says.", "已按照 EXIF 方向信息旋转为正向。"),
    "img.note.downscaled": ("Downscaled from {before} to {after} pixels first.", "先从 {before} 缩小到 {after} 像素。"),
    "img.note.tiny": ("A very small picture ({size}): it is enlarged, so expect blocks.",
                      "图片非常小（{size}）：会被放大，因此会出现方块。"),
    "img.note.high_depth": ("A {mode} picture (more than 8 bits per pixel): its range is stretched to 0–255.",
                            "这是一张 {mode} 图片（每像素超过 8 位）：其数值范围被拉伸到 0–255。"),
    "img.note.cmyk": ("A CMYK picture (print colours), converted to RGB.",
                      "这是一张 CMYK（印刷色）图片，已转换为 RGB。"),
    "img.note.alpha": ("Transparent parts are shown on white.", "透明的部分以白色显示。"),
    "img.note.grey": ("A greyscale picture: the same grey goes into all three colour channels.",
                      "这是一张灰度图：同样的灰度值送入全部三个颜色通道。"),
    "img.step.original": ("your picture: {size}", "你的图片：{size}"),
    "img.step.pad": ("padded to a square {size} with its border colour (not stretched)",
                     "用边缘颜色填充成正方形 {size}（没有拉伸）"),
    "img.step.resize_short": ("shorter side resized to {side}: {size}", "短边缩放到 {side}：{size}"),
    "img.step.crop": ("centre square cropped: {size}", "裁剪中间的正方形：{size}"),
    "img.step.resize": ("resized to {size}", "缩放到 {size}"),
    "img.step.normalise": ("to [0, 1], then (x − [{mean}]) / [{std}] per channel",
                           "转换到 [0, 1]，再按通道计算 (x − [{mean}]) / [{std}]"),
}
