using SsdSharp.Configuration;
using SsdSharp.Onnx;

namespace SsdSharp.Tests.Onnx;

/// <summary>Exported models pass the ONNX project's checker (full check: types and shapes inferred through the graph).</summary>
public class OnnxCheckerTests
{
    private const string Check = "import onnx, sys; m = onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True); print('ok', onnx.__version__, m.ir_version, m.opset_import[0].version)";

    [OnnxCheckerFact]
    public void ExportsPassTheOnnxChecker()
    {
        Assert.True(OnnxCheckerFactAttribute.Missing is null, OnnxCheckerFactAttribute.Missing);
        var weights = PresetExportTests.RandomWeights(SsdPresets.Shapes300, seed: 1);
        var folder = Directory.CreateTempSubdirectory("ssdsharp-onnx-check").FullName;
        try
        {
            foreach (var (name, options) in new (string, OnnxExportOptions)[]
            {
                ("default", new OnnxExportOptions()),
                ("batch-norm-nodes", new OnnxExportOptions { FoldBatchNorm = false }),
                ("with-nms", new OnnxExportOptions { WithNms = true }),
                ("opset13-with-nms", new OnnxExportOptions { Opset = 13, WithNms = true }),
            })
            {
                var path = Path.Combine(folder, $"{name}.onnx");
                OnnxExporter.Save(path, SsdPresets.Shapes300, weights, options);
                var (exitCode, output) = OnnxCheckerFactAttribute.Run(OnnxCheckerFactAttribute.Python!, Check, path);
                Assert.True(exitCode == 0, $"{name}: {output}");
                Assert.StartsWith("ok ", output);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
