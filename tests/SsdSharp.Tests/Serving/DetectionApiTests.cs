using System.Net.Http.Headers;
using System.Net;
using System.Text.Json.Nodes;
using SsdSharp.Configuration;
using SsdSharp.Evaluation;
using SsdSharp.Imaging;
using SsdSharp.Inference;
using SsdSharp.Serving;
using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Serving;

/// <summary>Every endpoint of the detection service on the bundled model, through ASP.NET's test server.</summary>
public sealed class DetectionApiTests(BundledDetector bundled) : IClassFixture<BundledDetector>, IAsyncLifetime
{
    private TestService _service = null!;

    private HttpClient Client => _service.Client;

    public async Task InitializeAsync() => _service = await TestService.StartAsync(bundled.Detector);

    public async Task DisposeAsync() => await _service.DisposeAsync();

    internal static ByteArrayContent Jpeg(string path)
    {
        var content = new ByteArrayContent(File.ReadAllBytes(path));
        content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        return content;
    }

    internal static MultipartFormDataContent Form(string field, params string[] paths)
    {
        var form = new MultipartFormDataContent();
        foreach (var path in paths) form.Add(Jpeg(path), field, Path.GetFileName(path));
        return form;
    }

    internal static async Task<JsonNode> JsonOf(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(text)!;
    }

    /// <summary>What <c>ssd detect</c> writes for the image, under <paramref name="name"/>.</summary>
    private JsonNode Expected(string path, string name, DetectionOptions? options = null)
    {
        var result = bundled.Detector.Detect(path);
        if (options != null)
        {
            // The same forward pass post-processed with other options.
            using var bitmap = ImageDecoder.Decode(path);
            var image = Preprocessing.RgbImage.FromBitmap(bitmap);
            var predictions = bundled.Detector.Backend.Run(bundled.Detector.Preprocess([image]), 1);
            result = bundled.Detector.PostProcess(predictions, 0, name, image.Width, image.Height, options);
        }
        return DetectionFileWriter.ToJsonObject(result with { Image = name });
    }

    [Fact]
    public async Task ARawBodyGetsTheObjectSsdDetectWritesNamedUpload()
    {
        var answer = await JsonOf(await Client.PostAsync("/v1/detect", Jpeg(BundledDetector.Sample(1))));
        Assert.True(JsonNode.DeepEquals(Expected(BundledDetector.Sample(1), "upload"), answer), answer.ToJsonString());
        Assert.NotEmpty(answer["detections"]!.AsArray());
    }

    [Fact]
    public async Task AMultipartFileIsNamedByItsFileName()
    {
        var answer = await JsonOf(await Client.PostAsync("/v1/detect", Form("image", BundledDetector.Sample(2))));
        Assert.True(JsonNode.DeepEquals(Expected(BundledDetector.Sample(2), "shapes-2.jpg"), answer), answer.ToJsonString());
    }

    [Fact]
    public async Task QueryOptionsChangeThePostProcessing()
    {
        var options = new DetectionOptions { ConfidenceThreshold = 0.5, NmsThreshold = 0.3, TopK = 50, MaxDetections = 3 };
        var answer = await JsonOf(await Client.PostAsync("/v1/detect?conf=0.5&nms=0.3&top_k=50&max_detections=3", Jpeg(BundledDetector.Sample(1))));
        Assert.True(JsonNode.DeepEquals(Expected(BundledDetector.Sample(1), "upload", options), answer), answer.ToJsonString());
        Assert.Equal(3, answer["detections"]!.AsArray().Count);
        Assert.All(answer["detections"]!.AsArray(), d => Assert.True(d!["score"]!.GetValue<double>() > 0.5));
    }

    [Fact]
    public async Task ABatchGetsOneObjectPerFileInOrder()
    {
        var paths = new[] { BundledDetector.Sample(3), BundledDetector.Sample(1), BundledDetector.Sample(2) };
        var answer = (await JsonOf(await Client.PostAsync("/v1/detect/batch?conf=0.2", Form("images", paths)))).AsArray();
        Assert.Equal(3, answer.Count);
        for (int i = 0; i < paths.Length; i++)
        {
            var expected = Expected(paths[i], Path.GetFileName(paths[i]), bundled.Detector.Detection with { ConfidenceThreshold = 0.2 });
            // One forward pass of three images: the network's arithmetic may differ from a pass of one in the last bits.
            AssertSameDetections(expected, answer[i]!);
        }
    }

    [Fact]
    public async Task TtaFusesEachImageWithItsMirrorImageAsSsdDetectTtaDoes()
    {
        using var tta = BundledDetector.Load("shapes300", testTimeAugmentation: true);
        var paths = new[] { BundledDetector.Sample(1), BundledDetector.Sample(3) };
        // Two images: the request's forward pass holds both images and then both mirror images.
        var answer = (await JsonOf(await Client.PostAsync("/v1/detect/batch?tta=true", Form("images", paths)))).AsArray();
        Assert.Equal(2, answer.Count);
        for (int i = 0; i < paths.Length; i++)
        {
            var name = Path.GetFileName(paths[i]);
            var expected = DetectionFileWriter.ToJsonObject(tta.Detect(paths[i]) with { Image = name });
            AssertSameDetections(expected, answer[i]!);
            var withoutMirror = Expected(paths[i], name);
            Assert.NotEqual(withoutMirror["detections"]!.ToJsonString(), answer[i]!["detections"]!.ToJsonString());
        }
    }

    [Fact]
    public async Task AServiceOfADetectorWithTtaUsesItUnlessARequestSaysFalse()
    {
        using var tta = BundledDetector.Load("shapes300", testTimeAugmentation: true);
        await using var service = await TestService.StartAsync(tta);
        Assert.True((await JsonOf(await service.Client.GetAsync("/v1/model")))["defaults"]!["tta"]!.GetValue<bool>());
        var path = BundledDetector.Sample(2);
        AssertSameDetections(DetectionFileWriter.ToJsonObject(tta.Detect(path) with { Image = "upload" }),
            await JsonOf(await service.Client.PostAsync("/v1/detect", Jpeg(path))));
        AssertSameDetections(Expected(path, "upload"), await JsonOf(await service.Client.PostAsync("/v1/detect?tta=false", Jpeg(path))));
    }

    [Fact]
    public async Task TheModelIsDescribedWithTheColoursOfSsdDetectDraw()
    {
        var model = await JsonOf(await Client.GetAsync("/v1/model"));
        Assert.Equal("shapes300", model["name"]!.GetValue<string>());
        Assert.Equal(8732, model["priors"]!.GetValue<int>());
        Assert.Equal("libtorch float32 on cpu", model["backend"]!.GetValue<string>());
        Assert.Equal("libtorch", model["requested"]!["backend"]!.GetValue<string>());
        Assert.Equal("cpu", model["requested"]!["device"]!.GetValue<string>());
        var classes = model["classes"]!.AsArray();
        Assert.Equal(["circle", "square", "triangle", "star", "hexagon"], classes.Select(c => c!["label"]!.GetValue<string>()));
        foreach (var c in classes)
        {
            var color = ClassPalette.ColorOf(c!["id"]!.GetValue<int>());
            Assert.Equal($"#{color.Red:x2}{color.Green:x2}{color.Blue:x2}", c["color"]!.GetValue<string>());
        }
        Assert.Equal(8, model["limits"]!["max_batch"]!.GetValue<int>());
        Assert.False(model["defaults"]!["tta"]!.GetValue<bool>());
        Assert.Equal("shapes300", model["config"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task HealthAndReadinessAnswer200()
    {
        Assert.Equal("ok\n", await Client.GetStringAsync("/healthz"));
        Assert.Equal("ready\n", await Client.GetStringAsync("/readyz"));
    }

    [Fact]
    public async Task MetricsCountRequestsBatchesAndQueue()
    {
        await JsonOf(await Client.PostAsync("/v1/detect", Jpeg(BundledDetector.Sample(3))));
        var response = await Client.GetAsync("/metrics");
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("ssd_batch_size_bucket{le=\"1\"}", text);
        Assert.Contains("ssd_forward_seconds_count", text);
        Assert.Contains("ssd_queue_depth 0", text);
        Assert.Contains("ssd_refused_total 0", text);
        Assert.Matches(@"ssd_images_total [1-9]", text);
        Assert.Matches(@"http_request_duration_seconds_count\{code=""200"",method=""POST"",[^}]*endpoint=""/v1/detect""\} [1-9]", text);
        Assert.Contains("process_working_set_bytes", text);
    }

    [Fact]
    public async Task EveryRequestIsLoggedOnOneLine()
    {
        await Client.GetAsync("/healthz");
        await Client.GetAsync("/no-such-page");
        var lines = _service.Log.Lines("ssd.serve");
        Assert.Contains(lines, l => l.StartsWith("GET /healthz 200 ", StringComparison.Ordinal) && l.EndsWith(" ms", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("GET /no-such-page 404 ", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.DoesNotContain('\n', l));
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesEveryEndpoint()
    {
        var document = await JsonOf(await Client.GetAsync("/openapi.json"));
        Assert.StartsWith("3.", document["openapi"]!.GetValue<string>());
        var paths = document["paths"]!.AsObject();
        Assert.Equal(["/v1/detect", "/v1/detect/batch", "/v1/model", "/healthz", "/readyz", "/metrics"], paths.Select(p => p.Key));
        var detect = paths["/v1/detect"]!["post"]!;
        Assert.Equal(DetectionQuery.Parameters, detect["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        Assert.Equal(["multipart/form-data", "image/*", "application/octet-stream"], detect["requestBody"]!["content"]!.AsObject().Select(c => c.Key));
        Assert.Equal(["image", "width", "height", "detections"],
            detect["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["properties"]!.AsObject().Select(p => p.Key));
        Assert.All(["400", "413", "415", "503"], status => Assert.NotNull(detect["responses"]![status]));
    }

    [Fact]
    public async Task TheDocsPageServesItsScriptFromTheBinary()
    {
        var redirect = await Client.GetAsync("/docs");
        Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);
        Assert.EndsWith("docs/", redirect.Headers.Location?.OriginalString);
        var html = await Client.GetStringAsync("/docs/");
        Assert.Contains("\"url\":\"openapi.json\"", html);
        Assert.DoesNotMatch(@"<script[^>]+src=""https?://", html);
        var script = await Client.GetAsync("/docs/scalar.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.True((await script.Content.ReadAsByteArrayAsync()).Length > 100_000, "the bundled Scalar script");
    }

    [Fact]
    public async Task TheWebPageAndItsAssetsComeFromTheBinaryWithAContentSecurityPolicy()
    {
        var page = await Client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single());
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">", html);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", ""));
        Assert.DoesNotContain("https://", html);
        foreach (var asset in new[] { "/web/app.js", "/web/app.css" })
        {
            var response = await Client.GetAsync(asset);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var again = new HttpRequestMessage(HttpMethod.Get, asset);
            again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
            Assert.Equal(HttpStatusCode.NotModified, (await Client.SendAsync(again)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/web/missing.js")).StatusCode);
    }

    /// <summary>The same image, size and detections, scores to 1e-4 and boxes to 0.1 pixel.</summary>
    internal static void AssertSameDetections(JsonNode expected, JsonNode actual)
    {
        foreach (var key in new[] { "image", "width", "height" }) Assert.Equal(expected[key]!.ToJsonString(), actual[key]!.ToJsonString());
        var want = expected["detections"]!.AsArray();
        var got = actual["detections"]!.AsArray();
        Assert.Equal(want.Count, got.Count);
        for (int i = 0; i < want.Count; i++)
        {
            Assert.Equal(want[i]!["class_id"]!.GetValue<int>(), got[i]!["class_id"]!.GetValue<int>());
            Assert.Equal(want[i]!["score"]!.GetValue<double>(), got[i]!["score"]!.GetValue<double>(), 1e-4);
            for (int k = 0; k < 4; k++) Assert.Equal(want[i]!["box"]![k]!.GetValue<double>(), got[i]!["box"]![k]!.GetValue<double>(), 0.1);
        }
    }
}
