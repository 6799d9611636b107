using System.Text;
using System.Text.Json;

namespace CrossBorderHub.Core.Mapping.Declarative;

/// <summary>
/// A JSON value with the line and column it starts at. System.Text.Json's DOM forgets positions, and every load
/// error of a declarative mapping must point at the byte an admin edits, so the rules file is read into this tree.
/// </summary>
internal sealed class JsonTree
{
    private JsonTree(JsonValueKind kind, int line, int column)
    {
        Kind = kind;
        Line = line;
        Column = column;
    }

    public JsonValueKind Kind { get; }

    public int Line { get; }

    public int Column { get; }

    public string? Text { get; private init; }

    public bool Bool => Kind == JsonValueKind.True;

    /// <summary>Object members in file order (with the position of each member's name).</summary>
    public List<(string Name, int Line, int Column, JsonTree Value)> Members { get; } = [];

    public List<JsonTree> Items { get; } = [];

    public JsonTree? this[string name] => Members.FirstOrDefault(m => m.Name == name).Value;

    public string? String(string name) => this[name] is { Kind: JsonValueKind.String or JsonValueKind.Number } v ? v.Text : null;

    /// <summary>Parses <paramref name="bytes"/> (comments and trailing commas allowed); throws JsonException with a 1-based position.</summary>
    public static JsonTree Parse(byte[] bytes)
    {
        var lines = LineStarts(bytes);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (!reader.Read())
        {
            throw new JsonException("the file is empty.", null, 0, 0);
        }
        return Read(ref reader, bytes, lines);
    }

    private static JsonTree Read(ref Utf8JsonReader reader, byte[] bytes, List<int> lines)
    {
        var (line, column) = Position(lines, bytes, (int)reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var obj = new JsonTree(JsonValueKind.Object, line, column);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var (nameLine, nameColumn) = Position(lines, bytes, (int)reader.TokenStartIndex);
                    var name = reader.GetString()!;
                    reader.Read();
                    obj.Members.Add((name, nameLine, nameColumn, Read(ref reader, bytes, lines)));
                }
                return obj;
            case JsonTokenType.StartArray:
                var array = new JsonTree(JsonValueKind.Array, line, column);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    array.Items.Add(Read(ref reader, bytes, lines));
                }
                return array;
            case JsonTokenType.String:
                return new(JsonValueKind.String, line, column) { Text = reader.GetString() };
            case JsonTokenType.Number:
                return new(JsonValueKind.Number, line, column) { Text = Encoding.UTF8.GetString(reader.ValueSpan) };
            case JsonTokenType.True:
                return new(JsonValueKind.True, line, column);
            case JsonTokenType.False:
                return new(JsonValueKind.False, line, column);
            default:
                return new(JsonValueKind.Null, line, column);
        }
    }

    private static List<int> LineStarts(byte[] bytes)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == '\n')
            {
                starts.Add(i + 1);
            }
        }
        return starts;
    }

    private static (int Line, int Column) Position(List<int> lines, byte[] bytes, int offset)
    {
        var index = lines.BinarySearch(offset);
        var line = index >= 0 ? index : ~index - 1;
        // Columns count characters, not UTF-8 bytes, as editors do.
        var column = Encoding.UTF8.GetCharCount(bytes, lines[line], offset - lines[line]) + 1;
        return (line + 1, column);
    }
}
