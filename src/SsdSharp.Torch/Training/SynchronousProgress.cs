namespace SsdSharp.Training;

/// <summary>
/// An <see cref="IProgress{T}"/> that runs its handler at once on the reporting thread. Unlike
/// <see cref="Progress{T}"/>, which posts to the thread pool, reports arrive in order and a handler that
/// cancels the run (say at a given iteration) takes effect before the next step.
/// </summary>
/// <param name="handler">Called with every report.</param>
public sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
{
    /// <inheritdoc />
    public void Report(T value) => handler(value);
}
