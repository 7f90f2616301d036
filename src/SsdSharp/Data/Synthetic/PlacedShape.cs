using SkiaSharp;

namespace SsdSharp.Data.Synthetic;

/// <summary>A shape at its place in an image: outline, bounds and true area in pixels.</summary>
/// <param name="Kind">The shape.</param>
/// <param name="Path">Its outline in image pixels.</param>
/// <param name="Bounds">The bounding rectangle of the outline.</param>
/// <param name="Area">The area enclosed by the outline, in square pixels (for the visible fraction under occlusion).</param>
internal sealed record PlacedShape(ShapeKind Kind, SKPath Path, SKRect Bounds, double Area);
