"""Every limit a learner can run into, in one place (the README's "Limits" section lists them).

The limits keep a shared 2-core server responsive for a whole class; each is enforced where the input
is parsed and reported with a message that names the limit.
"""

# Uploads (Gradio refuses larger files before they reach a handler).
MAX_UPLOAD_SIZE = "10mb"
MAX_REQUEST_BYTES = 12_000_000  # any one request: one upload and its form fields (ui/common/server.py)

# Free-text numbers ("3, 1, -3") and matrices typed by the learner.
MAX_NUMBER_TEXT_CHARS = 4_000
MAX_ABS_TYPED_VALUE = 1e308  # anything finite a float64 can hold; inf and NaN are refused

# Neurons & activations.
MAX_SOFTMAX_VALUES = 32
MIN_TEMPERATURE = 0.01
MAX_TEMPERATURE = 100.0
MAX_CURVE_RANGE = 50.0  # |x| of the plotted interval
CURVE_POINTS = 801
MAX_LAYER_WIDTH = 16  # the "two linear layers are one" demo

# Convolution, pooling and transposed convolution.
MAX_CONV_INPUT_SIDE = 12
MAX_CONV_KERNEL = 7
MAX_CONV_STRIDE = 4
MAX_CONV_PADDING = 6
MAX_CONV_DILATION = 4
MAX_CONV_CHANNELS = 4
MAX_OUTPUT_PADDING = 3
MAX_ANIMATION_FRAMES = 400
MAX_CONV_VALUE = 1e6  # |typed value|: keeps every sum of products finite and readable

# Training tab (each run trains a network from scratch on the bundled digits).
MAX_TRAIN_EPOCHS = 30
MIN_BATCH_SIZE = 8  # BatchNorm needs several pictures per step to estimate its statistics
MAX_BATCH_SIZE = 256
MIN_LEARNING_RATE = 1e-5
MAX_LEARNING_RATE = 1.0
MAX_CONCURRENT_TRAININGS = 2  # more learners wait in the queue instead of slowing everyone down
# A training run or a transfer comparison stops by itself after this long, keeping what it learnt (the default
# LeNet run takes ~1 minute; GoogLeNet with batch 8 for 30 epochs would hold a training slot for ~12 minutes).
MAX_TRAIN_SECONDS = 300

# Server.
# Files the app writes or receives (downloads, drawings, uploads) live in Gradio's cache folder; the oldest go first.
FILE_SECONDS = 3_600  # a file older than this is deleted (Gradio's delete_cache, and ui/common/files.py's sweep)
FILE_SWEEP_SECONDS = 60  # how often the whole folder is swept (also at start: what a killed server left)
MAX_FILES_BYTES = 500_000_000  # the whole folder, all learners together
MAX_SESSION_FILES_BYTES = 50_000_000  # the files handed to one learner (their oldest go first); deleted with the page
MAX_ASSET_CACHE_BYTES = 32_000_000  # the page's script and font files, kept as sent (compressed) after the first page
QUEUE_MAX_SIZE = 300  # requests waiting, all learners together: a class of 30 with their pages' work
MAX_WORK_PER_SESSION = 10  # requests of one page (one session) waiting or running; more are refused (503)
# A request the server refused as busy (503) is sent again by the page after these pauses (seconds, each ×0.5–1.5 at
# random so a class does not come back at once); only after the last does the learner see "busy, try again".
BUSY_RETRY_SECONDS = (1, 2, 4, 8, 15, 30)
DEFAULT_CONCURRENCY = 2
# Each learner's session (a browser page) keeps tens of kB on the server (its gr.State values and the components
# an update changed; ui/common/sessions.py's LeanSessionState, measured in bench/RESULTS.md) until it is among the
# least recently used beyond this many; Gradio's own default of 10,000 would let a busy
# public Space hold tens of GB. A forgotten session starts again from the defaults.
MAX_KEPT_SESSIONS = 1_000
# A view asked with public inputs (no upload, no trained network) by any learner is answered from memory for this
# long: a class opening a tab together computes its default view once (ui/common/repeats.py).
SHARED_VIEW_SECONDS = 600
SHARED_VIEW_BYTES = 64_000_000  # all shared answers together (pickled size), least recently used first
CLOSED_SESSION_SECONDS = 60  # a closed page's session is forgotten this long after, unless it asks again
GPU_CALL_SECONDS = 60  # on a ZeroGPU Space: the longest a view may hold the lent GPU (spaces.GPU's duration)

# Depthwise separable cost calculator (numbers only, nothing is allocated).
MAX_COST_CHANNELS = 4096
MAX_COST_SIDE = 1024

# Seeds typed by the learner (torch.Generator accepts any 64-bit value; this keeps them readable).
MAX_SEED = 2**31 - 1

# Images a learner uploads, draws or takes with the webcam.
MAX_IMAGE_PIXELS = 50_000_000  # larger images are refused before they are decoded (no decompression bombs)
MAX_IMAGE_SIDE = 1024  # larger ones are downscaled first (the networks see 32 or 224 pixels anyway)
# Memory of the decoded picture, checked before decoding (a 95 KB 16-bit PNG or a 297 KB float TIFF of 7,000 ×
# 7,000 pixels decodes to 196 MB): 32 M pixels of 8-bit RGB(A), 64 M of 16-bit grey; a big JPEG counts at its
# reduced size.
MAX_DECODED_BYTES = 128_000_000
MAX_CONCURRENT_DECODES = 2  # pictures decoded at once, by all learners together (each up to MAX_DECODED_BYTES)

# Feature-map tab.
MAX_TOP_K = 10  # predictions listed
GRID_CHANNELS = 16  # channels tiled into each layer's picture in the overview
MAX_ENLARGED_VALUES = 40_000  # values sent to the browser (with hover) for one enlarged layer: a page of channels

# Attribution (feature-map tab, captum): each explanation is a batch of forward and backward passes on a shared
# network; these bound one request to a few seconds for ImageNet ResNet-18 at 224 on 2 CPU cores.
MIN_IG_STEPS = 4  # fewer steps and the path integral is too rough to sum to the score difference
MAX_IG_STEPS = 128
MAX_IG_BATCH = 64  # interpolated images per forward pass (memory of one pass at 224 pixels)
MAX_OCCLUSION_WINDOWS = 256  # positions of the grey patch, one (batched) forward pass each
MIN_CLIP_PERCENTILE = 50.0  # the colour scale's top: at least the median of the map's magnitudes...
MAX_CLIP_PERCENTILE = 100.0  # ...at most its largest value (no clipping)
MAX_LATENCY_REPEATS = 20  # forward passes timed per network in the comparison

# Segmentation (FCN, primer §11): the size the network gets, aspect ratio kept.
MIN_SEGMENT_SIDE = 16  # one cell of the bundled FCN's coarsest score map
MAX_SEGMENT_SIDE = 1024  # a long panorama is scaled down to this longer side (torchvision's FCN: 520 shorter side)

# Recurrent networks (character language models reading the learner's text, primer §12).
MAX_RNN_TEXT_CHARS = 2_000  # characters traced: 2,000 steps × 256 units × 2 layers is ~1 M values per heatmap set
MAX_GRADIENT_FLOW_CHARS = 500  # steps back-propagated one cell at a time (the vanishing is plain long before)
MAX_SAMPLE_CHARS = 1_000  # characters generated per request, one forward step each

# -- MLP playground (issue 8) --
# Data: generated sets and the learner's CSV (x, y, label per line).
MIN_MLP_POINTS = 4  # a train and a test point for at least two classes
MAX_MLP_POINTS = 2_000  # every step evaluates the loss on all points: ~0.1 ms for a small network
MAX_MLP_CSV_BYTES = 200_000  # 2,000 lines of "x, y, label" with room for long numbers and names
MAX_MLP_CLASSES = 6  # each class gets its own colour that stays distinguishable (colour-blind-safe palette)
MAX_MLP_LABEL_CHARS = 24  # a class name shown in legends and hover labels
MAX_MLP_COORDINATE = 1e9  # |x|, |y| of a CSV point; beyond float32-friendly spans the scaling loses precision
MAX_MLP_NOISE = 1.0  # 1 = the classes overlap heavily
MIN_MLP_TRAIN_RATIO = 0.1
MAX_MLP_TRAIN_RATIO = 0.9  # both splits keep at least a tenth of the points
# Network and optimiser (TensorFlow Playground's 6 hidden layers of 8 neurons, a little wider).
MAX_MLP_HIDDEN_LAYERS = 6
MAX_MLP_WIDTH = 16
MIN_MLP_LEARNING_RATE = 1e-5
MAX_MLP_LEARNING_RATE = 10.0  # high enough to watch training diverge
MAX_MLP_L2 = 1.0
# Training in the server: every step is cheap, but a session must not hold a CPU core forever.
MAX_MLP_STEPS_PER_UPDATE = 1_000  # steps between two pictures (one Step press, one Play frame)
MAX_MLP_PLAY_STEPS = 5_000  # one press of Play, then it pauses by itself
MAX_MLP_EXPERIMENT_STEPS = 10_000  # an experiment's total; a shared link replays them (~1 ms a step)
MAX_MLP_REPLAYS_KEPT = 16  # replayed experiments kept for every learner (a link a class opens is replayed once)
MLP_FRAME_SECONDS = 0.4  # at least this between two Play frames: a browser redraws three figures in ~0.3 s
MAX_CONCURRENT_MLP_PLAYS = 4  # Play streams of all learners at once; more wait in the queue
# Pictures.
MLP_GRID_SIDE = 100  # the decision map: 100 × 100 points over the data's range
MLP_NEURON_MAP_SIDE = 28  # each hidden neuron's own small map (6 layers × 8 maps: ~0.4 MB per picture)
MLP_NEURON_MAPS_PER_LAYER = 8  # maps drawn per layer; wider layers are summarised
# The shareable config string (it carries a CSV's points, so it can be long).
MAX_MLP_CONFIG_CHARS = 100_000
MAX_MLP_CONFIG_JSON_BYTES = 400_000  # decompressed size: no zip bomb gets past this

# -- transfer learning (issue 8) --
# Each Start trains four copies of a bundled network (primer §10) on a few labelled target pictures and tests
# them on 1,000 held-out ones after every epoch, on one CPU thread. The default (LeNet, 20 per digit, 15 epochs)
# takes about 10 s; at both maxima ResNet would take roughly 7 minutes (estimated from its per-epoch times), and
# Stop ends any run at the next mini-batch.
MIN_TRANSFER_PER_CLASS = 1  # one labelled picture of each digit: the extreme few-shot case
MAX_TRANSFER_PER_CLASS = 100  # 1,000 pictures: far past "few labels", where scratch catches up
MAX_TRANSFER_EPOCHS = 30

# -- attention (issue 7) --
# The date Transformer (primer §14) reads at most this many characters: its longest training date has 28, and
# its positional table has 64 rows (a text longer than that has no position to sit in).
MAX_DATE_CHARS = 60
