using Microsoft.AspNetCore.Http;

namespace SsdSharp.Serving;

/// <summary>
/// Reads a request body and refuses it with 413 as soon as more than a limit has arrived, whether or not
/// the client declared a length: the same check under Kestrel (which has its own limit too) and the test
/// server (which has none), before anything large is buffered.
/// </summary>
internal sealed class LengthLimitedStream(Stream inner, long limit) : Stream
{
    private long _read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    /// <summary>The problem for a body above <paramref name="limit"/> bytes.</summary>
    public static HttpProblemException TooLarge(long limit) => new(StatusCodes.Status413PayloadTooLarge, "request body too large",
        $"the request body is larger than the limit of {limit} bytes ({limit / (1024.0 * 1024.0):0.##} MB, --max-upload-mb)");

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Count(int read)
    {
        _read += read;
        if (_read > limit) throw TooLarge(limit);
        return read;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
