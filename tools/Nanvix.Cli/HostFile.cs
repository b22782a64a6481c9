namespace Nanvix.Cli;

/// <summary>
/// Reading and writing the host files the command is given (programs, images, statistics), with one clear reason when
/// it cannot: no .NET exception leaves here but <see cref="HostInputException"/>.
/// </summary>
public static class HostFile
{
    /// <summary>The largest image file read (1 MB): an image names a few programs; anything larger is not one.</summary>
    public const int MaxImageFileBytes = 1024 * 1024;

    /// <summary>
    /// The bytes of <paramref name="path"/>, read only up to <paramref name="limit"/> bytes, so that a device such as
    /// /dev/zero or a huge file is refused rather than read; <paramref name="limitReason"/> says where the limit comes
    /// from.
    /// </summary>
    /// <exception cref="HostInputException">The file cannot be read, is a directory, or is larger than the limit.</exception>
    public static byte[] Read(string path, int limit, string limitReason)
    {
        ArgumentNullException.ThrowIfNull(path);
        string? problem = PathProblem(path);
        if (problem is null && Directory.Exists(path))
        {
            problem = "is a directory";
        }

        if (problem is null)
        {
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
                return ReadUpTo(stream, limit) ?? throw new HostInputException($"cannot read '{path}': larger than {limit} bytes ({limitReason})");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
            {
                problem = Reason(e);
            }
        }

        throw new HostInputException($"cannot read '{path}': {problem}");
    }

    /// <summary>Creates (or truncates) <paramref name="path"/> for writing <paramref name="what"/>.</summary>
    /// <exception cref="HostInputException">The file cannot be created.</exception>
    public static FileStream Create(string path, string what)
    {
        ArgumentNullException.ThrowIfNull(path);
        string? problem = PathProblem(path);
        if (problem is null && Directory.Exists(path))
        {
            problem = "is a directory";
        }

        if (problem is null)
        {
            try
            {
                // Unbuffered: the serializer buffers already, and a failed write (a full disk) must fail in Write, not
                // again in Dispose with the same bytes.
                return new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
            {
                problem = Reason(e);
            }
        }

        throw new HostInputException($"cannot write {what} '{path}': {problem}");
    }

    /// <summary>Writes <paramref name="write"/>'s bytes to <paramref name="file"/> and flushes them to the system, with one clear reason when it cannot (a full disk, /dev/full).</summary>
    /// <exception cref="HostInputException">The write failed.</exception>
    public static void Write(FileStream file, string path, string what, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(write);
        try
        {
            write(file);
            file.Flush(flushToDisk: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new HostInputException($"cannot write {what} '{path}': {Reason(e)}");
        }
    }

    /// <summary>Reads the whole stream if it holds at most <paramref name="limit"/> bytes; null when it holds more.</summary>
    private static byte[]? ReadUpTo(Stream stream, int limit)
    {
        if (stream.CanSeek && stream.Length > limit)
        {
            return null;
        }

        using var bytes = new MemoryStream();
        byte[] chunk = new byte[64 * 1024];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (bytes.Length + read > limit)
            {
                return null;
            }

            bytes.Write(chunk, 0, read);
        }

        return bytes.ToArray();
    }

    /// <summary>Why a path cannot name a file at all, before the system is asked; null when it can.</summary>
    private static string? PathProblem(string path) =>
        path.Length == 0 ? "an empty path names no file"
        : path.Contains('\0', StringComparison.Ordinal) ? "a path cannot hold a NUL character"
        : null;

    /// <summary>The reason a file operation failed, in the words of ls and cat rather than .NET's.</summary>
    private static string Reason(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file or directory",
        UnauthorizedAccessException => "permission denied",
        PathTooLongException => "the path is too long",
        _ => OneLine(e.Message),
    };

    private static string OneLine(string message)
    {
        // .NET appends " : 'PATH'" to a system error; the message already names the file.
        message = message.ReplaceLineEndings(" ").Trim();
        int path = message.LastIndexOf(" : '", StringComparison.Ordinal);
        return path > 0 && message.EndsWith('\'') ? message[..path] : message;
    }
}
