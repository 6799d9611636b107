using CrossBorderHub.Core.Storage;

namespace CrossBorderHub.Core.Processing;

/// <summary>
/// A mapping changes the format: a CUSDEC mapped to WCO XML must not reach the partner as "dec.edi". The extension
/// follows the mapped payload's first bytes ('&lt;' XML, "UNA"/"UNB" EDIFACT), the way intake identifies formats.
/// </summary>
internal static class MappedDeliveryName
{
    public static async Task<string> ForAsync(string name, IBlobStore blobs, string hash, CancellationToken cancellationToken)
    {
        var head = new byte[64];
        int read;
        await using (var blob = blobs.OpenRead(hash))
        {
            read = await blob.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        }
        var extension = ExtensionOf(head.AsSpan(0, read));
        return extension is null || name.EndsWith(extension, StringComparison.OrdinalIgnoreCase) ? name : Path.ChangeExtension(name, extension);
    }

    internal static string? ExtensionOf(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("\uFEFF"u8))
        {
            head = head[3..];
        }
        head = head.TrimStart(" \t\r\n"u8);
        return head.StartsWith("<"u8) ? ".xml" : head.StartsWith("UNA"u8) || head.StartsWith("UNB"u8) ? ".edi" : null;
    }
}
