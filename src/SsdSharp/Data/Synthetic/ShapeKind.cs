namespace SsdSharp.Data.Synthetic;

/// <summary>The object classes that <c>ssd synth</c> draws; the class name is the lower-case member name.</summary>
public enum ShapeKind
{
    /// <summary>A circle, stretched to an ellipse by the aspect ratio.</summary>
    Circle,

    /// <summary>A square, stretched to a rectangle and slightly rotated.</summary>
    Square,

    /// <summary>An equilateral triangle pointing up or down.</summary>
    Triangle,

    /// <summary>A five-pointed star.</summary>
    Star,

    /// <summary>A regular hexagon.</summary>
    Hexagon,
}
