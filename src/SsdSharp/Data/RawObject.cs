namespace SsdSharp.Data;

/// <summary>One object as parsed: <paramref name="Malformed"/> says why it cannot be used, or is null.</summary>
internal sealed record RawObject(int Index, string? Name, double X1, double Y1, double X2, double Y2,
    bool Difficult = false, bool Crowd = false, double? Area = null, string? Malformed = null);
