using MathNet.Numerics.LinearAlgebra;
using SsdSharp.Boxes;

namespace SsdSharp.Tracking;

/// <summary>
/// SORT's Kalman filter for one object (Bewley et al., 2016): the state is the box centre (x, y), its area s and
/// aspect ratio r, with constant velocities of x, y and s; r is taken as constant. Each frame is one time step.
/// The noise matrices are SORT's (measured area and aspect ten times noisier than the centre, in the filter's units;
/// velocities unknown at the start), so the filter assumes motion that is nearly linear from frame to frame.
/// </summary>
public sealed class BoxKalmanFilter
{
    private static readonly MatrixBuilder<double> M = Matrix<double>.Build;

    /// <summary>State transition: position += velocity.</summary>
    private static readonly Matrix<double> F = M.DenseOfArray(new double[,]
    {
        { 1, 0, 0, 0, 1, 0, 0 },
        { 0, 1, 0, 0, 0, 1, 0 },
        { 0, 0, 1, 0, 0, 0, 1 },
        { 0, 0, 0, 1, 0, 0, 0 },
        { 0, 0, 0, 0, 1, 0, 0 },
        { 0, 0, 0, 0, 0, 1, 0 },
        { 0, 0, 0, 0, 0, 0, 1 },
    });

    /// <summary>Measurement: the first four state values.</summary>
    private static readonly Matrix<double> H = M.DenseOfArray(new double[,]
    {
        { 1, 0, 0, 0, 0, 0, 0 },
        { 0, 1, 0, 0, 0, 0, 0 },
        { 0, 0, 1, 0, 0, 0, 0 },
        { 0, 0, 0, 1, 0, 0, 0 },
    });

    private static readonly Matrix<double> R = M.DiagonalOfDiagonalArray([1, 1, 10, 10]);
    private static readonly Matrix<double> Q = M.DiagonalOfDiagonalArray([1, 1, 1, 1, 0.01, 0.01, 0.0001]);

    private Vector<double> _x;
    private Matrix<double> _p;

    /// <summary>Starts at <paramref name="box"/>, at rest, with the velocities uncertain.</summary>
    public BoxKalmanFilter(PixelBox box)
    {
        _x = Vector<double>.Build.Dense(7);
        Measure(box).CopySubVectorTo(_x, 0, 0, 4);
        _p = M.DiagonalOfDiagonalArray([10, 10, 10, 10, 10_000, 10_000, 10_000]);
    }

    /// <summary>The current estimate as a box.</summary>
    public PixelBox Box
    {
        get
        {
            double s = Math.Max(_x[2], 0), r = Math.Max(_x[3], 1e-6);
            double w = Math.Sqrt(s * r), h = w > 0 ? s / w : 0;
            return new PixelBox((float)(_x[0] - w / 2), (float)(_x[1] - h / 2), (float)(_x[0] + w / 2), (float)(_x[1] + h / 2));
        }
    }

    /// <summary>The estimated velocity of the centre, pixels per frame.</summary>
    public (double X, double Y) Velocity => (_x[4], _x[5]);

    /// <summary>Advances one frame and returns the predicted box.</summary>
    public PixelBox Predict()
    {
        // An area shrinking through zero would give an imaginary width: stop the shrinking instead.
        if (_x[2] + _x[6] <= 0) _x[6] = 0;
        _x = F * _x;
        _p = F * _p * F.Transpose() + Q;
        return Box;
    }

    /// <summary>Corrects the estimate with a measured box.</summary>
    public void Update(PixelBox box)
    {
        var innovation = Measure(box) - H * _x;
        var s = H * _p * H.Transpose() + R;
        var gain = _p * H.Transpose() * s.Inverse();
        _x += gain * innovation;
        _p = (M.DenseIdentity(7) - gain * H) * _p;
    }

    /// <summary>(x, y, s, r) of a box: centre, area, width / height.</summary>
    private static Vector<double> Measure(PixelBox box)
    {
        double w = box.Width, h = box.Height;
        return Vector<double>.Build.DenseOfArray([box.X1 + w / 2, box.Y1 + h / 2, w * h, h > 0 ? w / h : 1]);
    }
}
