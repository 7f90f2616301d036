namespace SsdSharp.Data.Loading;

/// <summary>What the loader does with an image that will not decode.</summary>
public enum CorruptImagePolicy
{
    /// <summary>Stop: the next batch throws the decoding error, which names the file.</summary>
    Fail,

    /// <summary>Report the file once and use the next image of the epoch's order in its place.</summary>
    Skip,
}
