using SsdSharp;
using SsdSharp.Inference;

// detect [--weights MODEL] IMAGE...: objects in images with the SsdSharp core on ONNX Runtime, no libtorch.
// MODEL is an .onnx from `ssd export` or an SsdSharp model file (exported on first use); default: the bundled model.
var weights = Path.Combine(AppContext.BaseDirectory, "models", "shapes300.safetensors");
var images = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--weights" && i + 1 < args.Length) weights = args[++i];
    else images.Add(args[i]);
}
if (images.Count == 0)
{
    Console.Error.WriteLine("usage: detect [--weights MODEL.onnx|MODEL.safetensors] IMAGE...");
    return 2;
}
try
{
    using var detector = SsdDetector.Load(weights, new DetectorOptions { Detection = new() { ConfidenceThreshold = 0.3 } });
    Console.Error.WriteLine($"{detector.Config.Name} on {detector.Backend.Description}");
    foreach (var result in detector.DetectFiles(images))
    {
        Console.WriteLine($"{result.Image} ({result.Width}x{result.Height}): {result.Detections.Count} detection(s)");
        foreach (var d in result.Detections)
            Console.WriteLine($"  {d.Label,-10} {d.Score:F3}  [{d.Box.X1:F1}, {d.Box.Y1:F1}, {d.Box.X2:F1}, {d.Box.Y2:F1}]");
    }
    return 0;
}
catch (SsdInputException e)
{
    Console.Error.WriteLine($"detect: error: {e.Message}");
    return 2;
}
