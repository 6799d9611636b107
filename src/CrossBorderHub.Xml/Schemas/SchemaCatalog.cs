using System.Collections.Concurrent;
using System.Text.Json;
using System.Xml;
using System.Xml.Schema;
using System.Xml.XPath;

namespace CrossBorderHub.Xml.Schemas;

/// <summary>
/// Every schema pack under one xsd folder. Loaded once per folder and process (the manifests are small); each
/// document's XSDs are compiled on first use and then shared, so `hub validate` on one file compiles one pack.
/// A broken pack is listed in <see cref="Errors"/> and skipped; the others keep working.
/// </summary>
public sealed class SchemaCatalog
{
    private static readonly ConcurrentDictionary<string, Lazy<SchemaCatalog>> Cache = new(StringComparer.Ordinal);

    private readonly List<CompiledDocument> _documents = [];

    private SchemaCatalog(string root) => Root = root;

    public string Root { get; }

    /// <summary>Problems found while loading manifests, each naming the file and the fix.</summary>
    public List<string> Errors { get; } = [];

    public IReadOnlyList<CompiledDocument> Documents => _documents;

    /// <summary>The catalog of <paramref name="xsdRoot"/>, shared by every caller in the process.</summary>
    public static SchemaCatalog For(string xsdRoot)
    {
        var full = Path.GetFullPath(xsdRoot);
        return Cache.GetOrAdd(full, path => new Lazy<SchemaCatalog>(() => Load(path))).Value;
    }

    /// <summary>Reads every <c>*/pack.json</c> under <paramref name="xsdRoot"/> without caching (start-up checks, tests).</summary>
    public static SchemaCatalog Load(string xsdRoot)
    {
        var catalog = new SchemaCatalog(Path.GetFullPath(xsdRoot));
        if (!Directory.Exists(catalog.Root))
        {
            catalog.Errors.Add($"schema folder '{catalog.Root}' does not exist: set Hub:Processing:SchemasPath to the folder that holds xsd/");
            return catalog;
        }
        foreach (var folder in Directory.GetDirectories(catalog.Root).Order(StringComparer.Ordinal))
        {
            var manifestPath = Path.Combine(folder, "pack.json");
            if (File.Exists(manifestPath))
            {
                catalog.AddPack(folder, manifestPath);
            }
        }
        return catalog;
    }

    private void AddPack(string folder, string manifestPath)
    {
        SchemaPackManifest manifest;
        try
        {
            manifest = SchemaPackManifest.Parse(File.ReadAllText(manifestPath));
        }
        catch (JsonException ex)
        {
            Errors.Add($"schema pack manifest '{manifestPath}' is not valid JSON ({ex.Message}): fix the file or remove the folder");
            return;
        }
        manifest.Name ??= Path.GetFileName(folder);
        var before = Errors.Count;
        for (var i = 0; i < manifest.Documents.Count; i++)
        {
            var document = manifest.Documents[i];
            var where = $"schema pack manifest '{manifestPath}' documents[{i}]";
            if (string.IsNullOrWhiteSpace(document.DocumentType) || string.IsNullOrWhiteSpace(document.Root))
            {
                Errors.Add($"{where}: documentType and root are required: name the document type and its root element");
            }
            if (document.Schemas.Count == 0)
            {
                Errors.Add($"{where}: schemas is empty: list the entry XSD file(s) relative to the pack folder");
            }
            foreach (var schema in document.Schemas)
            {
                if (!File.Exists(Path.Combine(folder, schema)))
                {
                    Errors.Add($"{where}: schema file '{schema}' does not exist in '{folder}': copy it there or correct the path");
                }
            }
            foreach (var (value, meaning) in document.Identity.FunctionCodes)
            {
                if (meaning is not ("Original" or "Replacement" or "Cancellation" or "Other"))
                {
                    Errors.Add($"{where}: identity.functionCodes maps '{value}' to '{meaning}': use Original, Replacement, Cancellation or Other");
                }
            }
            foreach (var rule in document.Rules)
            {
                if (rule.Kind is not ("country" or "hsCode" or "notExpired" or "pattern" or "present"))
                {
                    Errors.Add($"{where}: rule kind '{rule.Kind}' is unknown: use country, hsCode, notExpired, pattern or present");
                }
                if (rule.Kind == "pattern" && string.IsNullOrEmpty(rule.Pattern))
                {
                    Errors.Add($"{where}: a pattern rule needs \"pattern\"");
                }
            }
            foreach (var xpath in document.Rules.Select(r => r.XPath).Concat(IdentityXPaths(document.Identity)))
            {
                try
                {
                    var expression = XPathExpression.Compile(xpath);
                    expression.SetContext(Namespaces(document, new NameTable()));
                }
                catch (XPathException ex)
                {
                    Errors.Add($"{where}: XPath '{xpath}' is invalid ({ex.Message}): correct it, declaring its prefixes in \"namespaces\"");
                }
            }
        }
        if (Errors.Count > before)
        {
            return;
        }
        foreach (var document in manifest.Documents)
        {
            _documents.Add(new CompiledDocument(manifest, document, folder));
        }
    }

    private static IEnumerable<string> IdentityXPaths(PackIdentity identity) =>
        new[] { identity.Sender, identity.Recipient, identity.ControlReference, identity.OriginCountry, identity.DestinationCountry, identity.IsTest,
                identity.Number, identity.IssueDate, identity.Function, identity.ReferencedDocument }
            .Where(x => !string.IsNullOrWhiteSpace(x))!;

    internal static XmlNamespaceManager Namespaces(PackDocument document, XmlNameTable nameTable)
    {
        var manager = new XmlNamespaceManager(nameTable);
        foreach (var (prefix, uri) in document.Namespaces)
        {
            manager.AddNamespace(prefix, uri);
        }
        return manager;
    }

    /// <summary>The document definition for a root element; the highest pack priority wins.</summary>
    public CompiledDocument? Find(string namespaceUri, string localName) => FindAll(namespaceUri, localName).FirstOrDefault();

    /// <summary>Every definition for a root element, highest priority first (the next one is the fallback).</summary>
    public IEnumerable<CompiledDocument> FindAll(string namespaceUri, string localName) =>
        _documents
            .Where(d => d.Definition.Root == localName && d.Definition.Namespace == namespaceUri)
            .OrderByDescending(d => d.Manifest.Priority);
}

/// <summary>One document definition of a pack, with its schema set compiled on first use.</summary>
public sealed class CompiledDocument
{
    private readonly Lazy<XmlSchemaSet> _schemas;

    internal CompiledDocument(SchemaPackManifest manifest, PackDocument definition, string folder)
    {
        Manifest = manifest;
        Definition = definition;
        Folder = folder;
        _schemas = new Lazy<XmlSchemaSet>(Compile, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public SchemaPackManifest Manifest { get; }

    public PackDocument Definition { get; }

    public string Folder { get; }

    /// <summary>The compiled schemas; throws <see cref="XmlSchemaException"/> naming the file when the pack is broken.</summary>
    public XmlSchemaSet Schemas => _schemas.Value;

    private XmlSchemaSet Compile()
    {
        var set = new XmlSchemaSet { XmlResolver = new PackFolderResolver(Folder) };
        var errors = new List<string>();
        // An import or include that cannot be resolved is only a warning to XmlSchemaSet; for a pack it is an error
        // (a missing file, or one outside the pack that the resolver refused), so every event counts.
        set.ValidationEventHandler += (_, e) =>
            errors.Add($"{e.Exception.SourceUri}:{e.Exception.LineNumber}:{e.Exception.LinePosition}: {e.Message}{(e.Exception.InnerException is { } inner ? $" ({inner.Message})" : "")}");
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        foreach (var schema in Definition.Schemas)
        {
            using var reader = XmlReader.Create(Path.Combine(Folder, schema), settings);
            set.Add(null, reader);
        }
        set.Compile();
        if (errors.Count > 0)
        {
            throw new XmlSchemaException($"schema pack '{Manifest.Name}' ({Definition.DocumentType}) does not compile: {string.Join("; ", errors.Take(3))}");
        }
        return set;
    }

    /// <summary>Lets XSD imports and includes read files inside the pack folder and nothing else.</summary>
    private sealed class PackFolderResolver(string folder) : XmlResolver
    {
        private readonly string _folder = Path.GetFullPath(folder) + Path.DirectorySeparatorChar;

        public override object? GetEntity(Uri absoluteUri, string? role, Type? ofObjectToReturn)
        {
            if (!absoluteUri.IsFile)
            {
                throw new XmlException($"schema import '{absoluteUri}' is not a local file: schema packs are self-contained, copy the file into the pack folder");
            }
            var path = Path.GetFullPath(absoluteUri.LocalPath);
            if (!path.StartsWith(_folder, StringComparison.Ordinal))
            {
                throw new XmlException($"schema import '{path}' is outside the pack folder '{_folder}': copy the file into the pack");
            }
            return File.OpenRead(path);
        }
    }
}
