using SsdSharp.Tests.Infrastructure;
using static TorchSharp.torch;

namespace SsdSharp.Tests.Modeling;

[Collection(ReferenceModelCollection.Name)]
public class NetworkParityTests(ReferenceModel reference)
{
    [Fact]
    public void LocAndConfMatchTheReferenceForTheFixtureImage()
    {
        var outputs = Fixtures.LoadTensors("ssd300_voc300_seed0_image11_outputs.safetensors");
        using var _ = no_grad();
        var (loc, conf) = reference.Network.forward(outputs["input"].unsqueeze(0));
        // Network outputs agree to 1e-4 relative (float32 on a different BLAS); atol covers values near 0.
        TensorAssert.Close(outputs["loc"], loc[0], rtol: 1e-4, atol: 1e-4, what: "loc");
        TensorAssert.Close(outputs["conf"], conf[0], rtol: 1e-4, atol: 1e-4, what: "conf");
    }
}
