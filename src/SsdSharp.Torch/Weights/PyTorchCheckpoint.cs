using System.Buffers.Binary;
using System.Collections;
using System.IO.Compression;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace SsdSharp.Weights;

/// <summary>
/// Reads PyTorch <c>.pth</c> files saved with <c>torch.save(model.state_dict())</c> (zip pickle),
/// such as ssd.pytorch's checkpoints and <c>vgg16_reducedfc.pth</c>.
/// </summary>
public static class PyTorchCheckpoint
{
    /// <summary>Largest <c>data.pkl</c> read: the pickle of a state dict holds names and shapes only (SSD300's is about 10 kB).</summary>
    private const long MaxPickleBytes = 64L << 20;

    /// <summary>The state dict: names to CPU tensors in their stored dtype.</summary>
    /// <exception cref="WeightsException">The file is missing or is not a PyTorch state dict.</exception>
    public static Dictionary<string, Tensor> Load(string path)
    {
        if (!File.Exists(path)) throw new WeightsException($"{path}: file not found");
        Hashtable table;
        try
        {
            CheckPickle(path);
            using var stream = File.OpenRead(path);
            table = PyTorchUnpickler.UnpickleStateDict(stream, false, false);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or WeightsException))
        {
            throw new WeightsException($"{path}: not a PyTorch state_dict checkpoint ({e.GetType().Name}: {e.Message})", e);
        }
        var result = new Dictionary<string, Tensor>();
        try
        {
            foreach (DictionaryEntry entry in table)
            {
                if (entry.Key is not string key)
                    throw new WeightsException($"{path}: a state_dict key is a {entry.Key.GetType().Name}; expected parameter names");
                if (entry.Value is not Tensor t)
                    throw new WeightsException($"{path}: entry '{key}' is not a tensor (a whole pickled model rather than a state_dict?)");
                result[key] = t;
            }
        }
        catch
        {
            foreach (var value in table.Values) (value as Tensor)?.Dispose();
            throw;
        }
        return result;
    }

    /// <summary>
    /// Walks the opcodes of the checkpoint's <c>data.pkl</c> before the unpickler runs: the unpickler allocates
    /// whatever length a string or bytes opcode declares, so a 500-byte file declaring 2 GB would take 2 GB.
    /// Here every declared length must fit in the bytes that remain, and every opcode must be a known one.
    /// </summary>
    private static void CheckPickle(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> signature = stackalloc byte[4];
        if (file.ReadAtLeast(signature, 4, throwOnEndOfStream: false) < 4 || !signature.SequenceEqual("PK\u0003\u0004"u8))
            throw new WeightsException($"{path}: not a zip file; expected a checkpoint saved by torch.save (files of the legacy pre-1.6 format must be re-saved)");
        file.Position = 0;
        using var archive = new ZipArchive(file, ZipArchiveMode.Read);
        // The same entry the unpickler reads: the first whose name ends with data.pkl.
        var entry = archive.Entries.FirstOrDefault(e => e.Name.EndsWith("data.pkl", StringComparison.Ordinal))
            ?? throw new WeightsException($"{path}: a zip without data.pkl; expected a checkpoint saved by torch.save");
        if (entry.Length > MaxPickleBytes)
            throw new WeightsException($"{path}: data.pkl declares {entry.Length} bytes; a state dict's pickle is at most {MaxPickleBytes >> 20} MB");
        var pickle = new byte[entry.Length];
        using (var data = entry.Open()) data.ReadExactly(pickle);
        int at = 0;
        while (true)
        {
            if (at >= pickle.Length) throw new WeightsException($"{path}: data.pkl ends without a STOP opcode (truncated pickle)");
            byte opcode = pickle[at++];
            if (opcode == (byte)'.') return;
            long skip = PickleArgument(opcode, pickle.AsSpan(at), out bool known);
            if (!known) throw new WeightsException($"{path}: data.pkl has unknown pickle opcode 0x{opcode:X2} at byte {at - 1}");
            if (skip < 0 || skip > pickle.Length - at)
                throw new WeightsException($"{path}: data.pkl opcode 0x{opcode:X2} at byte {at - 1} declares {skip} bytes of argument, but {pickle.Length - at} remain");
            at += (int)skip;
        }
    }

    /// <summary>Bytes of the argument that follows an opcode (pickle protocols 0–5), or -1 when a declared length is negative.</summary>
    private static long PickleArgument(byte opcode, ReadOnlySpan<byte> rest, out bool known)
    {
        known = true;
        switch (opcode)
        {
            // No argument: stack, container, tuple, boolean and object-building opcodes.
            case (byte)'(' or (byte)'0' or (byte)'1' or (byte)'2' or (byte)'N' or (byte)'R' or (byte)'Q' or (byte)']' or (byte)'a'
                or (byte)'e' or (byte)'}' or (byte)'s' or (byte)'u' or (byte)')' or (byte)'t' or (byte)'b' or (byte)'d' or (byte)'l'
                or (byte)'o' or 0x81 or 0x85 or 0x86 or 0x87 or 0x88 or 0x89 or 0x8F or 0x90 or 0x91 or 0x92 or 0x93 or 0x94 or 0x97 or 0x98:
                return 0;
            // Fixed-size arguments.
            case (byte)'K' or (byte)'q' or (byte)'h' or 0x80 or 0x82:
                return 1;
            case (byte)'M' or 0x83:
                return 2;
            case (byte)'J' or (byte)'r' or (byte)'j' or 0x84:
                return 4;
            case (byte)'G' or 0x95:
                return 8;
            // A length, then that many bytes.
            case (byte)'U' or (byte)'C' or 0x8C or 0x8A:
                return rest.Length < 1 ? 1 : 1 + rest[0];
            case (byte)'T' or (byte)'X' or (byte)'B' or 0x8B:
                return rest.Length < 4 ? 4 : BinaryPrimitives.ReadInt32LittleEndian(rest) is var n && n < 0 ? -1 : 4L + n;
            case 0x8D or 0x8E or 0x96:
                return rest.Length < 8 ? 8 : BinaryPrimitives.ReadInt64LittleEndian(rest) is var m && (m < 0 || m > long.MaxValue - 8) ? -1 : 8 + m;
            // Text arguments ended by a newline: one line, or two for GLOBAL and INST.
            case (byte)'I' or (byte)'L' or (byte)'F' or (byte)'S' or (byte)'V' or (byte)'P' or (byte)'p' or (byte)'g':
                return Lines(rest, 1);
            case (byte)'c' or (byte)'i':
                return Lines(rest, 2);
            default:
                known = false;
                return 0;
        }
    }

    /// <summary>Bytes up to and including the <paramref name="count"/>-th newline; past the end when there are fewer.</summary>
    private static long Lines(ReadOnlySpan<byte> rest, int count)
    {
        int at = 0;
        for (int line = 0; line < count; line++)
        {
            int newline = rest[at..].IndexOf((byte)'\n');
            if (newline < 0) return rest.Length + 1L;
            at += newline + 1;
        }
        return at;
    }
}
