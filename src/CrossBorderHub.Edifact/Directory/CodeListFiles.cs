using System.Globalization;

namespace CrossBorderHub.Edifact.Directory;

/// <summary>
/// Code lists of agencies other than UN/ECE (ISO 6346, ISO 3166...) that a schema folder adds as plain text files
/// (schemas/codelists/*.txt), so that a code whose composite names such a list (3055 agency, 1131 list qualifier) is
/// checked instead of skipped. A file is one code per line, optionally followed by white space and a description;
/// '#' starts a comment; header lines say which codes it applies to:
/// <code>
/// @name ISO 6346 size and type codes
/// @element 8155        (the coded data element; repeat the line for several)
/// @agency 5            (3055 code list responsible agency, and/or)
/// @qualifier 102       (1131 code list qualifier)
/// 22G1 General purpose container, 20 ft
/// </code>
/// </summary>
public sealed class CodeListFiles
{
    private readonly List<CodeListFile> _lists;

    // Every element a file is keyed to, in one set: the validator asks for each uncoded value of such a composite.
    private readonly HashSet<string> _elements;

    private CodeListFiles(List<CodeListFile> lists, List<string> errors)
    {
        _lists = lists;
        _elements = lists.SelectMany(l => l.Elements).ToHashSet(StringComparer.Ordinal);
        Errors = errors;
    }

    /// <summary>No file: every code of another agency stays an info finding.</summary>
    public static CodeListFiles Empty { get; } = new([], []);

    public IReadOnlyList<CodeListFile> Lists => _lists;

    /// <summary>True when a file is keyed to data element <paramref name="element"/> (e.g. 3225, which UNCL lists no code for).</summary>
    public bool Covers(string element) => _elements.Contains(element);

    /// <summary>One line per file that could not be used: file, line and the fix. Such a file is left out.</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>Every *.txt file of <paramref name="folder"/> (a missing folder holds none).</summary>
    public static CodeListFiles Load(string folder)
    {
        var lists = new List<CodeListFile>();
        var errors = new List<string>();
        if (!System.IO.Directory.Exists(folder))
        {
            return new(lists, errors);
        }
        foreach (var path in System.IO.Directory.GetFiles(folder, "*.txt").Order(StringComparer.Ordinal))
        {
            if (Parse(path, File.ReadAllLines(path), errors) is { } list)
            {
                lists.Add(list);
            }
        }
        return new(lists, errors);
    }

    /// <summary>
    /// The list for a code of data element <paramref name="element"/> whose composite names <paramref name="agency"/>
    /// and/or <paramref name="qualifier"/>: every key a file declares must match, and the file that declares the most
    /// keys wins (an agency-and-qualifier list before an agency-only one).
    /// </summary>
    public CodeListFile? Find(string element, string? agency, string? qualifier)
    {
        CodeListFile? best = null;
        foreach (var list in _lists)
        {
            if (list.Elements.Contains(element) && (list.Agency is null || list.Agency == agency) && (list.Qualifier is null || list.Qualifier == qualifier)
                && (best is null || list.KeyCount > best.KeyCount))
            {
                best = list;
            }
        }
        return best;
    }

    private static CodeListFile? Parse(string path, string[] lines, List<string> errors)
    {
        var file = Path.GetFileName(path);
        string? name = null, agency = null, qualifier = null;
        var elements = new HashSet<string>(StringComparer.Ordinal);
        var codes = new Dictionary<string, string>(StringComparer.Ordinal);
        var before = errors.Count;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            var where = $"{file} line {(i + 1).ToString(CultureInfo.InvariantCulture)}";
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var space = line.IndexOfAny([' ', '\t']);
            var first = space < 0 ? line : line[..space];
            var rest = space < 0 ? "" : line[(space + 1)..].Trim();
            if (first[0] != '@')
            {
                codes.TryAdd(first, rest);
                continue;
            }
            if (rest.Length == 0)
            {
                errors.Add($"{where}: {first} has no value: write e.g. '@element 8155'.");
                continue;
            }
            switch (first)
            {
                case "@name":
                    name = rest;
                    break;
                case "@element":
                    elements.Add(rest);
                    break;
                case "@agency":
                    agency = rest;
                    break;
                case "@qualifier":
                    qualifier = rest;
                    break;
                default:
                    errors.Add($"{where}: unknown header {first}: use @name, @element, @agency or @qualifier.");
                    break;
            }
        }
        if (elements.Count == 0)
        {
            errors.Add($"{file}: no @element line: name the coded data element the list is for (e.g. '@element 8155').");
        }
        if (agency is null && qualifier is null)
        {
            errors.Add($"{file}: neither @agency nor @qualifier: say which 3055 agency and/or 1131 list qualifier name this list.");
        }
        if (codes.Count == 0)
        {
            errors.Add($"{file}: no code: list one code per line.");
        }
        return errors.Count > before ? null : new CodeListFile(name ?? Path.GetFileNameWithoutExtension(path), file, elements, agency, qualifier, codes);
    }
}

/// <summary>One code list file: its key (elements, agency, qualifier) and codes with their descriptions.</summary>
public sealed class CodeListFile(string name, string fileName, IReadOnlySet<string> elements, string? agency, string? qualifier,
    IReadOnlyDictionary<string, string> codes)
{
    public string Name { get; } = name;

    public string FileName { get; } = fileName;

    public IReadOnlySet<string> Elements { get; } = elements;

    public string? Agency { get; } = agency;

    public string? Qualifier { get; } = qualifier;

    public IReadOnlyDictionary<string, string> Codes { get; } = codes;

    internal int KeyCount => (Agency is null ? 0 : 1) + (Qualifier is null ? 0 : 1);

    public bool Contains(string code) => Codes.ContainsKey(code);
}
