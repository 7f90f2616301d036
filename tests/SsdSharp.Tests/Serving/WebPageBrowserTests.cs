using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using SsdSharp.Serving;
using SsdSharp.Tests.Infrastructure;

namespace SsdSharp.Tests.Serving;

/// <summary>
/// The web page in a real headless Chromium on a phone-sized screen: upload the bundled sample, wait for the
/// boxes, check that the drawn boxes and the table are the API's answer, filter by score and class in the
/// browser, download the JSON, and check that nothing is fetched from anywhere but the service.
/// <c>SSD_SCREENSHOT_DIR=docs</c> saves the screenshot of the page into that folder.
/// </summary>
public sealed class WebPageBrowserTests(BundledDetector bundled) : IClassFixture<BundledDetector>
{
    private static readonly string[] BrowserArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
    ];

    private sealed record DrawnBox(int Index, int ClassId, double X, double Y, double Width, double Height, string Stroke, string Caption);

    [ChromiumFact]
    public async Task ThePageDrawsTheApisAnswerAndFiltersItInTheBrowser()
    {
        Assert.True(ChromiumFactAttribute.Missing is null, ChromiumFactAttribute.Missing);
        await using var service = await TestService.StartAsync(bundled.Detector, new ServeOptions { Port = 0 }, kestrel: true);
        var origin = service.BaseAddress.GetLeftPart(UriPartial.Authority);
        // Declared before the browser, so disposed after it has closed (Chromium writes into its profile until it exits),
        // whether the test passes or fails.
        using var scratch = new TempFolder();
        var profile = scratch.Root;
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = ChromiumFactAttribute.Executable,
            Headless = true,
            Args = BrowserArgs,
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            DeviceScaleFactor = 2,
            IsMobile = true,
            HasTouch = true,
            AcceptDownloads = true,
        });
        var outside = new List<string>();
        await browser.RouteAsync("**/*", async route =>
        {
            if (route.Request.Url.StartsWith(origin, StringComparison.Ordinal) || route.Request.Url.StartsWith("blob:", StringComparison.Ordinal) ||
                route.Request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                await route.ContinueAsync();
                return;
            }
            lock (outside) outside.Add(route.Request.Url);
            await route.AbortAsync();
        });
        var page = browser.Pages.Count > 0 ? browser.Pages[0] : await browser.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };

        await page.GotoAsync(origin + "/");
        await Assertions.Expect(page.Locator("#model")).ToContainTextAsync("shapes300", new() { Timeout = 60_000 });
        var model = JsonNode.Parse(await service.Client.GetStringAsync("/v1/model"))!;
        var colours = model["classes"]!.AsArray().ToDictionary(c => c!["id"]!.GetValue<int>(), c => c!["color"]!.GetValue<string>());

        var sample = BundledDetector.Sample(1);
        // The mirror option starts at the service's default.
        Assert.False(await page.Locator("#tta").IsCheckedAsync());
        var answered = page.WaitForResponseAsync(r => r.Url.EndsWith("/v1/detect?tta=false", StringComparison.Ordinal), new() { Timeout = 120_000 });
        await page.Locator("#file").SetInputFilesAsync(sample);
        var pageAnswer = JsonNode.Parse(await (await answered).TextAsync())!;
        await page.WaitForSelectorAsync("body[data-state='done']", new() { Timeout = 120_000 });

        // The page's answer is the API's: the same request made here gets the same JSON.
        var apiAnswer = await DetectionApiTests.JsonOf(await service.Client.PostAsync("/v1/detect", DetectionApiTests.Form("image", sample)));
        Assert.True(JsonNode.DeepEquals(apiAnswer, pageAnswer), pageAnswer.ToJsonString());
        var detections = apiAnswer["detections"]!.AsArray().Select(d => d!).ToArray();

        async Task AssertShows(double threshold, ISet<int> hiddenClasses)
        {
            var expected = detections.Select((d, i) => (d, i))
                .Where(x => x.d["score"]!.GetValue<double>() >= threshold && !hiddenClasses.Contains(x.d["class_id"]!.GetValue<int>()))
                .ToArray();
            var drawn = (await DrawnBoxes(page)).OrderBy(b => b.Index).ToArray();
            Assert.Equal(expected.Select(x => x.i), drawn.Select(b => b.Index));
            foreach (var ((d, _), box) in expected.Zip(drawn))
            {
                var corners = d["box"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
                Assert.Equal(d["class_id"]!.GetValue<int>(), box.ClassId);
                Assert.Equal(corners[0], box.X, 6);
                Assert.Equal(corners[1], box.Y, 6);
                Assert.Equal(corners[2] - corners[0], box.Width, 6);
                Assert.Equal(corners[3] - corners[1], box.Height, 6);
                Assert.Equal(colours[box.ClassId], box.Stroke);
                Assert.Equal($"{d["label"]!.GetValue<string>()} {d["score"]!.GetValue<double>().ToString("F2", CultureInfo.InvariantCulture)}", box.Caption);
            }
            var rows = await page.Locator("#table tbody tr").AllInnerTextsAsync();
            Assert.Equal(expected.Length, rows.Count);
            foreach (var ((d, i), row) in expected.Zip(rows))
            {
                var cells = row.Split('\t').Select(c => c.Trim()).ToArray();
                Assert.Equal((i + 1).ToString(CultureInfo.InvariantCulture), cells[0]);
                Assert.Equal(d["label"]!.GetValue<string>(), cells[1]);
                Assert.Equal(d["score"]!.GetValue<double>().ToString("F3", CultureInfo.InvariantCulture), cells[2]);
            }
        }

        // The slider starts at 0.5; raising it hides the boxes scoring below, without a new request.
        int requests = 0;
        page.Request += (_, r) => { if (r.Url.Contains("/v1/detect", StringComparison.Ordinal)) requests++; };
        await AssertShows(0.5, new HashSet<int>());
        int atHalf = (await DrawnBoxes(page)).Count;
        // The slider moves in steps of 0.01: the first step above the lowest score shown.
        double high = Math.Round(Math.Floor(detections.Select(d => d["score"]!.GetValue<double>()).Where(s => s >= 0.5).Min() * 100) / 100 + 0.01, 2);
        // In the browser's own spelling of the number ("0.9", not "0.90"), or Playwright finds the value changed.
        await page.Locator("#threshold").FillAsync(high.ToString("0.##", CultureInfo.InvariantCulture));
        await AssertShows(high, new HashSet<int>());
        Assert.True((await DrawnBoxes(page)).Count < atHalf, "raising the threshold removes the lowest-scoring boxes");
        var lowest = model["defaults"]!["conf"]!.GetValue<double>();
        await page.Locator("#threshold").FillAsync(lowest.ToString(CultureInfo.InvariantCulture));
        await AssertShows(lowest, new HashSet<int>());

        // A class turned off disappears from the drawing and the table.
        int triangle = 3;
        await page.Locator($"#classes input[data-class-id='{triangle}']").UncheckAsync();
        await AssertShows(lowest, new HashSet<int> { triangle });
        await page.Locator($"#classes input[data-class-id='{triangle}']").CheckAsync();
        await page.Locator("#threshold").FillAsync("0.5");
        await AssertShows(0.5, new HashSet<int>());
        Assert.Equal(0, requests);

        // The download is the answer.
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#download").ClickAsync());
        Assert.Equal("shapes-1.detections.json", download.SuggestedFilename);
        Assert.True(JsonNode.DeepEquals(apiAnswer, JsonNode.Parse(await File.ReadAllTextAsync((await download.PathAsync())!))));

        // Phone-sized: nothing wider than the screen.
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways on a phone");
        var screenshotDir = Environment.GetEnvironmentVariable("SSD_SCREENSHOT_DIR") is { Length: > 0 } dir ? dir : profile;
        var screenshot = Path.Combine(screenshotDir, "serve-page.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 10_000);

        // The mirror option asks again for the image shown, and draws the fused answer.
        var fused = page.WaitForResponseAsync(r => r.Url.EndsWith("/v1/detect?tta=true", StringComparison.Ordinal), new() { Timeout = 120_000 });
        await page.Locator("#tta").CheckAsync();
        var fusedAnswer = JsonNode.Parse(await (await fused).TextAsync())!;
        await page.WaitForSelectorAsync("body[data-state='done']", new() { Timeout = 120_000 });
        var apiFused = await DetectionApiTests.JsonOf(await service.Client.PostAsync("/v1/detect?tta=true", DetectionApiTests.Form("image", sample)));
        Assert.True(JsonNode.DeepEquals(apiFused, fusedAnswer), fusedAnswer.ToJsonString());
        Assert.False(JsonNode.DeepEquals(apiAnswer, fusedAnswer), "the fused answer differs from the single view's");
        detections = apiFused["detections"]!.AsArray().Select(d => d!).ToArray();
        await AssertShows(0.5, new HashSet<int>());

        // The API docs page works offline too.
        await page.GotoAsync(origin + "/docs");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Detect objects in one image", new() { Timeout = 60_000 });

        Assert.Empty(outside);
        Assert.Empty(errors);
    }

    private static async Task<IReadOnlyList<DrawnBox>> DrawnBoxes(IPage page)
    {
        var json = await page.EvaluateAsync<JsonElement>("""
            [...document.querySelectorAll('#boxes g.detection')].map(g => {
              const r = g.querySelector('rect.box');
              return { index: +g.dataset.index, classId: +g.dataset.classId, x: +r.getAttribute('x'), y: +r.getAttribute('y'),
                       width: +r.getAttribute('width'), height: +r.getAttribute('height'), stroke: r.getAttribute('stroke'),
                       caption: g.querySelector('text').textContent };
            })
            """);
        return json.EnumerateArray().Select(b => new DrawnBox(b.GetProperty("index").GetInt32(), b.GetProperty("classId").GetInt32(),
            b.GetProperty("x").GetDouble(), b.GetProperty("y").GetDouble(), b.GetProperty("width").GetDouble(), b.GetProperty("height").GetDouble(),
            b.GetProperty("stroke").GetString()!, b.GetProperty("caption").GetString()!)).ToArray();
    }
}
