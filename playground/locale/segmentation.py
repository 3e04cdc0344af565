"""Strings of the segmentation tab (FCN, primer §11)."""

STRINGS: dict[str, tuple[str, str]] = {
    "seg.tab": ("§11 · Segmentation (FCN)", "§11 · 语义分割（FCN）"),
    "seg.intro": (
        "**Primer §11.** A fully convolutional network gives every pixel a class. The bundled FCN reuses this "
        "app's ResNet (trained on single digits) as its backbone, turns its last feature maps into one score map "
        "per class with a 1×1 convolution — 11 classes: background and the digits 0–9 — and brings them back to "
        "the picture's size with **transposed convolutions** that start as bilinear upsampling (see §2, "
        "*Transposed convolution*). It was trained on scenes of several coloured digits. Draw a few digits, "
        "upload a picture, or pick an example; torchvision's FCN-ResNet50 (21 Pascal VOC classes, trained on "
        "COCO) handles photos after a one-time download.",
        "**入门 §11。** 全卷积网络为每个像素给出一个类别。内置的 FCN 以本应用的 ResNet（在单个数字上训练）为主干，"
        "用 1×1 卷积把最后的特征图变成每个类别一张得分图——共 11 类：背景和数字 0–9——再用从双线性上采样初始化的"
        "**转置卷积**把它们放大回图片的尺寸（见 §2 的“转置卷积”）。它在包含多个彩色数字的场景上训练。"
        "可以手写几个数字、上传图片或选择示例；torchvision 的 FCN-ResNet50（21 个 Pascal VOC 类别，在 COCO 上训练）"
        "可在首次下载后处理照片。",
    ),
    "seg.weights": ("Network", "网络"),
    "seg.weights.bundled": ("bundled FCN (digit scenes)", "内置 FCN（数字场景）"),
    "seg.weights.imagenet": ("torchvision FCN-ResNet50 (COCO, VOC classes)",
                             "torchvision FCN-ResNet50（COCO，VOC 类别）"),
    "seg.image": ("Picture", "图片"),
    "seg.draw": ("Draw digits", "手写数字"),
    "seg.use_drawing": ("Use my drawing", "使用我的画"),
    "seg.opacity": ("Overlay opacity", "叠加不透明度"),
    "seg.shown": ("Classes shown", "显示的类别"),
    "seg.score_class": ("Score map of class", "得分图的类别"),
    "seg.score_class.info": ("empty: the largest class found in the picture", "留空：图片中找到的最大类别"),
    "seg.overlay": ("Each pixel's class, on your picture", "每个像素的类别（叠加在你的图片上）"),
    "seg.steps": ("what was done to your picture: {steps}", "对你的图片所做的处理：{steps}"),
    "seg.step.resize": ("resized to {size} (aspect ratio kept, nothing cropped)",
                        "缩放到 {size}（保持长宽比，不裁剪）"),
    "seg.legend": ("Classes found:", "找到的类别："),
    "seg.interpolation_note": (
        "torchvision's FCN upsamples its coarse scores with bilinear interpolation (`F.interpolate`), not with a "
        "learned transposed convolution, so there is no kernel to show.",
        "torchvision 的 FCN 用双线性插值（`F.interpolate`）放大粗糙的得分图，而不是可学习的转置卷积，"
        "因此没有卷积核可显示。",
    ),
    "seg.kernel_note": (
        "The last transposed convolution (kernel {k}×{k}, stride {stride}) from a class's scores to the same class: "
        "it started as this bilinear kernel and training adjusted it. Its output size is (n − 1)·{stride} − "
        "2·{padding} + {k}, the formula of §2.",
        "最后一个转置卷积（卷积核 {k}×{k}，步幅 {stride}）从某类得分到同一类的部分：它以双线性卷积核开始，"
        "训练对它做了调整。输出尺寸为 (n − 1)·{stride} − 2·{padding} + {k}，即 §2 的公式。",
    ),
    "seg.fig.coarse": ("before upsampling: {h}×{w}", "上采样前：{h}×{w}"),
    "seg.fig.fine": ("after upsampling: {h}×{w}", "上采样后：{h}×{w}"),
    "seg.fig.scores": ("Score of class '{name}'", "类别“{name}”的得分"),
    "seg.fig.kernel": ("Transposed-convolution kernel ({k}×{k})", "转置卷积的卷积核（{k}×{k}）"),
    "seg.err.no_kernel": ("torchvision's FCN has no transposed convolution to show.",
                          "torchvision 的 FCN 没有可显示的转置卷积。"),
    "seg.err.no_pixels": ("There are no pixels to score (all of them are void).",
                          "没有可评分的像素（全部为忽略区域）。"),
    "seg.err.opacity": ("The opacity must be between 0 and 1.", "不透明度必须在 0 到 1 之间。"),
    "seg.err.class": ("Class {index} does not exist: this network has {count} classes (0 to {count} − 1).",
                      "类别 {index} 不存在：这个网络有 {count} 个类别（0 到 {count} − 1）。"),
    # class names: the bundled FCN's background, and the 20 VOC classes of torchvision's FCN-ResNet50
    "seg.class.background": ("background", "背景"),
    "seg.class.aeroplane": ("aeroplane", "飞机"),
    "seg.class.bicycle": ("bicycle", "自行车"),
    "seg.class.bird": ("bird", "鸟"),
    "seg.class.boat": ("boat", "船"),
    "seg.class.bottle": ("bottle", "瓶子"),
    "seg.class.bus": ("bus", "公共汽车"),
    "seg.class.car": ("car", "汽车"),
    "seg.class.cat": ("cat", "猫"),
    "seg.class.chair": ("chair", "椅子"),
    "seg.class.cow": ("cow", "牛"),
    "seg.class.diningtable": ("dining table", "餐桌"),
    "seg.class.dog": ("dog", "狗"),
    "seg.class.horse": ("horse", "马"),
    "seg.class.motorbike": ("motorbike", "摩托车"),
    "seg.class.person": ("person", "人"),
    "seg.class.pottedplant": ("potted plant", "盆栽"),
    "seg.class.sheep": ("sheep", "羊"),
    "seg.class.sofa": ("sofa", "沙发"),
    "seg.class.train": ("train", "火车"),
    "seg.class.tvmonitor": ("TV / monitor", "电视/显示器"),
}
