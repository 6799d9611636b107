using System.Security.Cryptography;
using System.Text;

namespace CrossBorderHub.Edifact.Directory;

/// <summary>
/// The parsed segment specifications and code lists of a directory in a compact binary file, so a directory's
/// UNECE text is parsed once, not at every start: <c>.cache/&lt;name&gt;.bin</c> beside the directory folders
/// (the UNECE folders themselves stay untouched). A cache file names the size and time of every source file it was
/// built from; any change, a newer format or a damaged file means the text is parsed again and the cache rewritten.
/// A folder that cannot be written just means no cache.
/// </summary>
internal static class DirectoryCache
{
    private const int FormatVersion = 1;
    private static readonly byte[] Magic = "XBH-EDIFACT-DIR"u8.ToArray();

    public sealed record Content(Dictionary<string, SegmentSpec> Segments, Dictionary<string, HashSet<string>> Codes, bool FromCache);

    public static bool IsCurrent(string name, string folder, IReadOnlyList<string> sources) =>
        TryRead(CachePath(name, folder), Fingerprint(sources), headerAndHashOnly: true) is not null;

    private static string CachePath(string name, string folder) =>
        Path.Combine(Path.GetDirectoryName(folder) ?? folder, ".cache", name + ".bin");

    public static Content Load(string name, string folder, IReadOnlyList<string> sources,
        Func<Dictionary<string, SegmentSpec>> parseSegments, Func<Dictionary<string, HashSet<string>>> parseCodes)
    {
        var path = CachePath(name, folder);
        var fingerprint = Fingerprint(sources);
        if (TryRead(path, fingerprint, headerAndHashOnly: false) is { } cached)
        {
            return cached;
        }
        var content = new Content(parseSegments(), parseCodes(), FromCache: false);
        TryWrite(path, fingerprint, content);
        return content;
    }

    private static byte[] Fingerprint(IReadOnlyList<string> sources)
    {
        var text = new StringBuilder().Append(FormatVersion).Append('\n');
        foreach (var source in sources.Order(StringComparer.Ordinal))
        {
            var info = new FileInfo(source);
            text.Append(info.Name).Append('|').Append(info.Exists ? info.Length : -1).Append('|')
                .Append(info.Exists ? info.LastWriteTimeUtc.Ticks : 0).Append('\n');
        }
        return SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
    }

    private static Content? TryRead(string path, byte[] fingerprint, bool headerAndHashOnly)
    {
        try
        {
            using var file = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
            if (!file.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic) || file.ReadInt32() != FormatVersion
                || !file.ReadBytes(fingerprint.Length).AsSpan().SequenceEqual(fingerprint))
            {
                return null;
            }
            // The payload's own hash: a damaged cache must never change what validation accepts.
            var hash = file.ReadBytes(32);
            var payload = file.ReadBytes(Count(file, 64 << 20));
            if (!SHA256.HashData(payload).AsSpan().SequenceEqual(hash))
            {
                return null;
            }
            if (headerAndHashOnly)
            {
                return new Content([], [], FromCache: true); // matches and is whole: what a load would read
            }
            using var reader = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
            var segments = new Dictionary<string, SegmentSpec>(StringComparer.Ordinal);
            for (var s = Count(reader, 10_000); s > 0; s--)
            {
                var tag = reader.ReadString();
                var segmentName = reader.ReadString();
                var elements = new ElementSpec[Count(reader, 1_000)];
                for (var e = 0; e < elements.Length; e++)
                {
                    var (id, elementName, mandatory, repeat) = (reader.ReadString(), reader.ReadString(), reader.ReadBoolean(), reader.ReadInt32());
                    var components = reader.ReadInt32();
                    if (components > 1_000)
                    {
                        throw new FormatException("damaged cache");
                    }
                    elements[e] = components < 0
                        ? new ElementSpec(id, elementName, mandatory, repeat, ReadValue(reader), null)
                        : new ElementSpec(id, elementName, mandatory, repeat, null, Enumerable.Range(0, components).Select(_ => ReadValue(reader)).ToArray());
                }
                segments[tag] = new SegmentSpec(tag, segmentName, elements);
            }
            var codes = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            for (var l = Count(reader, 100_000); l > 0; l--)
            {
                var id = reader.ReadString();
                var set = new HashSet<string>(StringComparer.Ordinal);
                for (var c = Count(reader, 1_000_000); c > 0; c--)
                {
                    set.Add(reader.ReadString());
                }
                codes[id] = set;
            }
            return new Content(segments, codes, FromCache: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or EndOfStreamException or FormatException or ArgumentException)
        {
            return null; // no cache yet, or a damaged one: parse the text
        }
    }

    // A damaged file must fail as a format error, never as a huge allocation.
    private static int Count(BinaryReader reader, int max) =>
        reader.ReadInt32() is var n and >= 0 && n <= max ? n : throw new FormatException("damaged cache");

    private static ValueSpec ReadValue(BinaryReader reader) =>
        new(reader.ReadString(), reader.ReadString(), reader.ReadBoolean(), (ValueKind)reader.ReadByte(), reader.ReadInt32(), reader.ReadInt32());

    private static void TryWrite(string path, byte[] fingerprint, Content content)
    {
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var payload = new MemoryStream();
            using (var writer = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(content.Segments.Count);
                foreach (var spec in content.Segments.Values)
                {
                    writer.Write(spec.Tag);
                    writer.Write(spec.Name);
                    writer.Write(spec.Elements.Length);
                    foreach (var element in spec.Elements)
                    {
                        writer.Write(element.Id);
                        writer.Write(element.Name);
                        writer.Write(element.Mandatory);
                        writer.Write(element.Repeat);
                        writer.Write(element.Components?.Length ?? -1);
                        foreach (var value in element.Components ?? [element.Simple!])
                        {
                            writer.Write(value.Id);
                            writer.Write(value.Name);
                            writer.Write(value.Mandatory);
                            writer.Write((byte)value.Kind);
                            writer.Write(value.MinLength);
                            writer.Write(value.MaxLength);
                        }
                    }
                }
                writer.Write(content.Codes.Count);
                foreach (var (id, set) in content.Codes)
                {
                    writer.Write(id);
                    writer.Write(set.Count);
                    foreach (var code in set)
                    {
                        writer.Write(code);
                    }
                }
            }
            using (var writer = new BinaryWriter(File.Create(temp), Encoding.UTF8))
            {
                writer.Write(Magic);
                writer.Write(FormatVersion);
                writer.Write(fingerprint);
                writer.Write(SHA256.HashData(payload.GetBuffer().AsSpan(0, (int)payload.Length)));
                writer.Write((int)payload.Length);
                writer.Write(payload.GetBuffer(), 0, (int)payload.Length);
            }
            // Readers see the old file or the new one, never half of one (another process may be writing too).
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temp);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // Nothing was written: nothing to clean.
            }
        }
    }
}
