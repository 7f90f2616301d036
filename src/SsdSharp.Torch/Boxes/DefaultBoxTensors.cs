using static TorchSharp.torch;

namespace SsdSharp.Boxes;

/// <summary>Default boxes as a libtorch tensor, for matching on the device of training.</summary>
public static class DefaultBoxTensors
{
    /// <summary><c>[P, 4]</c> float32, centre form (cx, cy, w, h), normalised, on <paramref name="device"/> (the CPU by default).</summary>
    public static Tensor ToTensor(this DefaultBoxes boxes, Device? device = null) =>
        tensor(boxes.CenterForm, [boxes.Count, 4], device: device ?? CPU);
}
