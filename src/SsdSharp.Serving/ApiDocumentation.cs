using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SsdSharp.Serving;

/// <summary>
/// The parts of the OpenAPI document (<c>GET /openapi.json</c>) that ASP.NET cannot infer from the
/// handlers, which read their request themselves: the query options and image bodies of the detection
/// endpoints, and the schema of their answer (the <c>ssd detect</c> JSON object,
/// <see cref="Evaluation.DetectionFileWriter"/>).
/// </summary>
internal static class ApiDocumentation
{
    /// <summary>Paths of the endpoints that take images.</summary>
    public const string Detect = "v1/detect", DetectBatch = "v1/detect/batch";

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "SsdSharp detection service",
                Version = "v1",
                Description = "Object detection with a Single Shot MultiBox Detector (ssd serve). Images go in as the raw body " +
                              "or multipart files; answers are the JSON of `ssd detect`; errors are RFC 7807 problem+json. " +
                              "Concurrent requests share batched forward passes.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var path = context.Description.RelativePath;
            if (path is not (Detect or DetectBatch)) return Task.CompletedTask;
            bool many = path == DetectBatch;
            operation.Parameters ??= [];
            foreach (var parameter in QueryParameters()) operation.Parameters.Add(parameter);
            operation.RequestBody = RequestBody(many);
            operation.Responses ??= [];
            operation.Responses["200"] = new OpenApiResponse
            {
                Description = many ? "One object per file, in the order sent." : "The detections, by descending score.",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = many ? new OpenApiSchema { Type = JsonSchemaType.Array, Items = ImageDetectionsSchema() } : ImageDetectionsSchema() },
                },
            };
            return Task.CompletedTask;
        });
    }

    private static IEnumerable<OpenApiParameter> QueryParameters()
    {
        yield return Query("conf", JsonSchemaType.Number, "A class score must exceed this to be reported, in [0, 1). Default 0.01.");
        yield return Query("nms", JsonSchemaType.Number, "NMS IoU threshold, in (0, 1]. Default 0.45.");
        yield return Query("top_k", JsonSchemaType.Integer, "Candidates and kept boxes per class, at least 1. Default 200.");
        yield return Query("max_detections", JsonSchemaType.Integer, "Most detections per image, highest scores first; 0: no cap. Default 200.");
        yield return Query("tta", JsonSchemaType.Boolean, "Test-time augmentation: also detect on the mirror image and fuse the two views' boxes, " +
                                                          "as `ssd detect --tta` (twice the network's work). Default: the service's `--tta`.");
    }

    private static OpenApiParameter Query(string name, JsonSchemaType type, string description) =>
        new() { Name = name, In = ParameterLocation.Query, Required = false, Description = description, Schema = new OpenApiSchema { Type = type } };

    private static OpenApiRequestBody RequestBody(bool many)
    {
        var binary = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" };
        var form = many
            ? new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "Any number of file fields; each file is one image, named by its file name in the answer.",
                Properties = new Dictionary<string, IOpenApiSchema> { ["images"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = binary } },
            }
            : new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Required = new HashSet<string> { ImageUpload.FormField },
                Properties = new Dictionary<string, IOpenApiSchema> { [ImageUpload.FormField] = binary },
            };
        var content = new Dictionary<string, OpenApiMediaType> { ["multipart/form-data"] = new() { Schema = form } };
        if (!many)
        {
            content["image/*"] = new() { Schema = binary };
            content["application/octet-stream"] = new() { Schema = binary };
        }
        return new OpenApiRequestBody
        {
            Required = true,
            Description = many
                ? "The images as files of a multipart/form-data body."
                : $"The image (JPEG, PNG, BMP, WebP or GIF) as the raw body, named '{ImageUpload.RawBodyName}' in the answer, or as the file field '{ImageUpload.FormField}' of a multipart/form-data body, named by its file name.",
            Content = content,
        };
    }

    private static OpenApiSchema ImageDetectionsSchema()
    {
        var number = new OpenApiSchema { Type = JsonSchemaType.Number };
        var detection = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["label"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Class name." },
                ["class_id"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "Class id, 1 to the number of classes (0 is the background)." },
                ["score"] = new OpenApiSchema { Type = JsonSchemaType.Number, Description = "Confidence in [0, 1], 6 decimals." },
                ["box"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Array, Items = number, MinItems = 4, MaxItems = 4,
                    Description = "x1, y1, x2, y2 in pixels of the original image (EXIF orientation applied), 2 decimals.",
                },
            },
        };
        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "The detections of one image, as an element of `ssd detect`'s JSON array.",
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["image"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = $"The multipart file name, or '{ImageUpload.RawBodyName}' for a raw body." },
                ["width"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
                ["height"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
                ["detections"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = detection, Description = "By descending score." },
            },
            Examples = [JsonNode.Parse("""{"image": "shapes-1.jpg", "width": 634, "height": 594, "detections": [{"label": "circle", "class_id": 1, "score": 0.98, "box": [12.5, 40.0, 130.25, 160.0]}]}""")!],
        };
    }
}
