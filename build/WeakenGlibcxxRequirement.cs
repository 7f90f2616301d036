// MSBuild inline task (see LibStdCxxCompat.targets). It is compiled against netstandard inside
// MSBuild, hence no spans and no newer File APIs.
using System;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class SsdSharpWeakenGlibcxxRequirement : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    [Required] public string Directory { get; set; } = "";
    [Required] public string Version { get; set; } = "";
    /// <summary>Patch even when this machine's libstdc++ has the version (the output runs elsewhere).</summary>
    public bool Always { get; set; }

    private static readonly string[] LibStdCxxCandidates =
    {
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6",
        "/usr/lib/libstdc++.so.6",
        "/lib/x86_64-linux-gnu/libstdc++.so.6",
    };

    public override bool Execute()
    {
        if (!System.IO.Directory.Exists(Directory)) return true;
        var targets = System.IO.Directory.GetFiles(Directory, "libLibTorchSharp.so", SearchOption.AllDirectories);
        if (targets.Length == 0) return true;

        var system = LibStdCxxCandidates.FirstOrDefault(File.Exists);
        if (!Always && system == null)
        {
            Log.LogMessage(MessageImportance.Low, "No system libstdc++ found; libLibTorchSharp.so left as shipped.");
            return true;
        }
        if (!Always && Contains(File.ReadAllBytes(system), Encoding.ASCII.GetBytes(Version + "\0")))
        {
            Log.LogMessage(MessageImportance.Low, $"{system} provides {Version}; no patch needed.");
            return true;
        }

        foreach (var path in targets)
        {
            try
            {
                var bytes = File.ReadAllBytes(path);
                if (!Weaken(bytes, Version, out var alreadyWeak)) 
                {
                    Log.LogMessage(MessageImportance.Low, $"{path}: no requirement on {Version}.");
                    continue;
                }
                if (alreadyWeak) continue;
                // Write a new file and rename it over the old one, so that a hard link into the
                // NuGet cache is never modified in place.
                var tmp = path + ".tmp-weak";
                File.WriteAllBytes(tmp, bytes);
                File.Delete(path);
                File.Move(tmp, path);
                Log.LogMessage(MessageImportance.High, $"Marked {Version} weak in {path} ({(Always ? "always, for other machines" : "system libstdc++ lacks it")}).");
            }
            catch (Exception e)
            {
                Log.LogError($"Could not patch {path}: {e.Message}");
                return false;
            }
        }
        return true;
    }

    private static bool Contains(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return true;
        }
        return false;
    }

    /// <summary>Sets VER_FLG_WEAK on the Vernaux entry named <paramref name="version"/>.</summary>
    private static bool Weaken(byte[] elf, string version, out bool alreadyWeak)
    {
        alreadyWeak = false;
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("only 64-bit little-endian ELF is supported");

        ulong shoff = BitConverter.ToUInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A);
        int shnum = BitConverter.ToUInt16(elf, 0x3C);

        for (int s = 0; s < shnum; s++)
        {
            int sh = checked((int)shoff + s * shentsize);
            if (BitConverter.ToUInt32(elf, sh + 4) != ShtGnuVerneed) continue;
            int offset = checked((int)BitConverter.ToUInt64(elf, sh + 0x18));
            int link = (int)BitConverter.ToUInt32(elf, sh + 0x28);
            int strtab = checked((int)BitConverter.ToUInt64(elf, (int)shoff + link * shentsize + 0x18));

            int vn = offset;
            while (true)
            {
                int count = BitConverter.ToUInt16(elf, vn + 2);
                int aux = vn + (int)BitConverter.ToUInt32(elf, vn + 8);
                for (int a = 0; a < count; a++)
                {
                    int name = strtab + (int)BitConverter.ToUInt32(elf, aux + 8);
                    int end = Array.IndexOf(elf, (byte)0, name);
                    if (Encoding.ASCII.GetString(elf, name, end - name) == version)
                    {
                        ushort flags = BitConverter.ToUInt16(elf, aux + 4);
                        alreadyWeak = (flags & VerFlgWeak) != 0;
                        ushort weak = (ushort)(flags | VerFlgWeak);
                        elf[aux + 4] = (byte)(weak & 0xff);
                        elf[aux + 5] = (byte)(weak >> 8);
                        return true;
                    }
                    aux += (int)BitConverter.ToUInt32(elf, aux + 12);
                }
                uint next = BitConverter.ToUInt32(elf, vn + 12);
                if (next == 0) break;
                vn += (int)next;
            }
        }
        return false;
    }
}
