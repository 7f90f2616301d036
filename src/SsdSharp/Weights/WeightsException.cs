namespace SsdSharp.Weights;

/// <summary>A weights file that cannot be used: missing, malformed, or not matching the network; the message names the file and the keys.</summary>
public sealed class WeightsException(string message, Exception? inner = null) : SsdInputException(message, inner);
