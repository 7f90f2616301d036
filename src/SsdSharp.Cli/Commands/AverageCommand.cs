using System.CommandLine;
using SsdSharp.Data;
using SsdSharp.Data.Loading;
using SsdSharp.Inference;
using SsdSharp.IO;
using SsdSharp.Preprocessing;
using SsdSharp.Training;
using SsdSharp.Weights;
using Spectre.Console;
using TorchSharp;

namespace SsdSharp.Cli.Commands;

/// <summary>
/// <c>ssd average</c>: one model from the mean of the weights of several models of one network (checkpoints of a run,
/// fine-tunes from one start), with batch-norm statistics re-estimated for the mean weights.
/// </summary>
internal static class AverageCommand
{
    public static Command Create()
    {
        var models = new Argument<string[]>("MODEL")
        {
            Description = "Two or more SsdSharp model files or training checkpoints (a run's shapes512-iter….safetensors, its checkpoint.json beside it) of one network.",
            Arity = ArgumentArity.OneOrMore,
        };
        models.Validators.Add(CommandLineErrors.RefuseOptionLikePaths);
        var output = new Option<string>("--out") { Description = "Model file to write.", Required = true };
        var data = new Option<string?>("--data")
        {
            Description = "Training images to re-estimate batch-norm statistics on (VOC:ROOT[,ROOT…] or COCO:ANNOTATIONS.json[:IMAGES_DIR]); " +
                          "required for a network with batch norm, whose averaged statistics do not belong to the averaged weights.",
        };
        var split = new Option<string>("--split") { Description = "VOC image set of --data.", DefaultValueFactory = _ => "trainval" };
        var batches = NumericOption.Create("--batches", "Batches of --data to average the statistics over.", new NumberRange<int>(1), 100);
        var batch = NumericOption.Create("--batch", "Images per batch.", NumericOption.BatchRange, 32);
        var workers = NumericOption.Create("--workers", "Data-loading threads (1 to 64).", NumericOption.WorkersRange, 2);
        var seed = NumericOption.Create("--seed", "Seed of the order and augmentation of --data.", new NumberRange<int>(0), 0);
        var device = DeviceOption.Create();
        var maxMegapixels = ImageLimitOption.Create();
        var command = new Command("average", "Average the weights of models of one network (stochastic weight averaging, model soups).")
        {
            models, output, data, split, batches, batch, workers, seed, device, maxMegapixels,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            ImageLimitOption.Apply(parse, maxMegapixels);
            var paths = parse.GetValue(models)!;
            foreach (var path in paths) InputFile.CheckReadable(path, "an SsdSharp model file or training checkpoint");
            var spec = parse.GetValue(data) is { } text ? DatasetArgument.Parse(text) : null;
            var plan = new OutputPlan().Reads(paths).ReadsDataset(spec);
            var target = plan.File("--out", parse.GetValue(output)!);
            // Training checkpoints are read with their runs' checkpoint.json, which the output must not replace.
            plan.Reads(paths.SelectMany(TrainingCheckpoint.FilesRead));
            ModelFileOutput.Check("--out", target);
            var computeDevice = DeviceOption.Parse(parse, device);

            using var network = WeightAverage.Of(paths);
            var config = network.Config;
            if (!BatchNormStatistics.Present(network))
            {
                CommandLineErrors.RefuseGiven(parse, [data, split, batches, batch, workers, seed],
                    name => $"{name}: {config.Name} has no batch norm, so there are no statistics to re-estimate; leave it out");
            }
            else
            {
                if (spec is null)
                    throw new SsdInputException($"--data is required: {config.Name} has batch norm, whose statistics must be re-estimated on training images for the averaged weights");
                var dataset = DatasetReader.Read(spec, DatasetReadOptions.ForTraining(config.ClassNames, parse.GetValue(split)!));
                var source = new TrainingLoader(dataset.Images, NetworkInputFormat.From(config),
                    new LoaderOptions { BatchSize = parse.GetValue(batch), Workers = parse.GetValue(workers), Seed = parse.GetValue(seed), CorruptImages = CorruptImagePolicy.Skip },
                    message => Terminal.Error.MarkupLineInterpolated($"[yellow]warning: {message}[/]"));
                network.to(Devices.Resolve(computeDevice));
                int seen = BatchNormStatistics.Reestimate(network, source, parse.GetValue(batches));
                Terminal.Error.MarkupLineInterpolated($"[grey]batch-norm statistics re-estimated on {seen} batches of {parse.GetValue(batch)} images from {dataset.Spec}[/]");
            }
            NetworkFile.Save(network, target);
            Terminal.Error.MarkupLineInterpolated($"wrote {target}: the mean of {paths.Length} models of {config.Name}");
            return 0;
        }));
        return command;
    }
}
