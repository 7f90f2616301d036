namespace SsdSharp.Modeling;

/// <summary>
/// What SsdSharp does on this machine about the faults of libtorch's oneDNN convolutions on the CPU
/// (<see cref="OneDnnConvolutions.Remedies"/>); none where its results are right.
/// </summary>
[Flags]
public enum OneDnnRemedies
{
    /// <summary>oneDNN's convolutions are right (or not used): nothing to do.</summary>
    None = 0,

    /// <summary>
    /// Forward, oneDNN is wrong for convolutions larger than 1×1 with more than
    /// <see cref="OneDnnConvolutions.ChannelMultiple"/> input channels that are not a multiple of it, and right with
    /// zero input channels appended up to that multiple: <see cref="SsdNetwork"/> appends them.
    /// </summary>
    PadInputChannels = 1,

    /// <summary>
    /// oneDNN's input gradients are wrong for convolutions whose output channels are not a multiple of
    /// <see cref="OneDnnConvolutions.ChannelMultiple"/>, and right with zero filters appended up to that multiple:
    /// <see cref="SsdNetwork"/> appends them while gradients are recorded, and <see cref="SsdNetwork.Backward"/> keeps oneDNN.
    /// </summary>
    PadOutputChannels = 2,

    /// <summary>
    /// Backward passes run without oneDNN: its input gradients are wrong and appended filters do not mend them, or
    /// <see cref="OneDnnConvolutions.EnvironmentVariable"/> is 0. (<see cref="OneDnnConvolutions.Backward"/> does this
    /// for any network whenever the gradients are wrong.)
    /// </summary>
    BackwardWithoutOneDnn = 4,
}
