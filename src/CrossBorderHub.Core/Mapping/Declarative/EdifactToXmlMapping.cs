using System.Text;
using System.Xml;
using CrossBorderHub.Edifact;
using CrossBorderHub.Edifact.Directory;
using CrossBorderHub.Edifact.Model;

namespace CrossBorderHub.Core.Mapping.Declarative;

/// <summary>
/// A declarative EDIFACT -> XML mapping. Streams: segments are read with <see cref="EdifactSegmentReader"/> (constant
/// memory), one message at a time is held (its segments placed in their groups), mapped to a small output tree and
/// written with an <see cref="XmlWriter"/>, then dropped. An interchange of many messages needs "batch" (a wrapper
/// element); a mapping without one maps a single message per document.
/// </summary>
internal sealed class EdifactToXmlMapping(MappingDescriptor descriptor, MessageSpec message, XmlRule root, XmlRule? batch, IReadOnlyList<(string Prefix, string Uri)> namespaces) : IMapping
{
    private static readonly XmlWriterSettings WriterSettings = new() { Indent = true, Encoding = new UTF8Encoding(false) };

    public MappingDescriptor Descriptor { get; } = descriptor;

    /// <summary>The segment tags the rules read, per group they sit in: only those are parsed (the rest keep their tag
    /// for placing the groups), which keeps mapping at the speed of reading.</summary>
    private readonly Dictionary<StructureNode, HashSet<string>> _read = ReadTags(root);

    private static Dictionary<StructureNode, HashSet<string>> ReadTags(XmlRule root)
    {
        var read = new Dictionary<StructureNode, HashSet<string>>(ReferenceEqualityComparer.Instance);
        void Note(EdifactPath? path)
        {
            if (path?.Tag is { } tag)
            {
                if (!read.TryGetValue(path.End, out var tags))
                {
                    read[path.End] = tags = new HashSet<string>(StringComparer.Ordinal);
                }
                tags.Add(tag);
            }
        }
        void Walk(XmlRule rule)
        {
            Note(rule.Foreach);
            Note(rule.Value?.Edifact);
            Note(rule.Value?.UnitEdifact);
            Note(rule.When?.Edifact);
            rule.Children.ForEach(Walk);
        }
        Walk(root);
        return read;
    }

    private Segment Parse(RawSegment raw, string tag, EdifactCharset charset, StructureNode group) =>
        _read.TryGetValue(group, out var tags) && tags.Contains(tag) ? EdifactParser.ToSegment(raw, charset) : new Segment(tag);

    public MappingOutcome Map(Stream source, Stream target, CancellationToken cancellationToken)
    {
        var findings = new List<MappingFinding>();
        var reader = new EdifactSegmentReader(source);
        var charset = EdifactCharset.Default;
        GroupBuilder? body = null;
        var reference = "";
        var messages = 0;
        using var writer = XmlWriter.Create(target, WriterSettings);
        RawSegment? raw;
        while ((raw = reader.Read()) is not null && findings.Count == 0)
        {
            if (raw.IsTag("UNB"u8))
            {
                charset = EdifactCharset.Find(EdifactParser.ToSegment(raw, charset).Get(1, 0)) ?? EdifactCharset.Default;
            }
            else if (raw.IsTag("UNH"u8))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var unh = EdifactParser.ToSegment(raw, charset);
                reference = unh.Get(1);
                if (unh.Get(2, 0) != message.Type)
                {
                    findings.Add(new($"{Descriptor.Name}: message {reference} UNH/S009/0065", $"the message is a {unh.Get(2, 0)}; this mapping maps {message.Type}."));
                }
                body = new GroupBuilder(message.Root);
            }
            else if (raw.IsTag("UNT"u8) && body is not null)
            {
                if (++messages > 1 && batch is null)
                {
                    findings.Add(new($"{Descriptor.Name}: message {reference}", "the interchange holds more than one message; this mapping writes one document per message (split the interchange first)."));
                    break;
                }
                if (messages == 1 && batch is not null)
                {
                    writer.WriteStartElement(batch.Prefix, batch.LocalName, batch.Namespace);
                    DeclareNamespaces(writer);
                }
                var output = new List<OutNode>();
                Evaluate(root, new EdifactContext(body.Top, null), output, $"message {reference}: ", findings);
                if (findings.Count == 0)
                {
                    output.ForEach(o => o.Write(writer, batch is null ? this : null));
                }
                body = null;
            }
            else if (body is not null)
            {
                var tag = raw.Tag;
                body.Add(tag, (Mapping: this, Raw: raw, Tag: tag, Charset: charset), static (s, group) => s.Mapping.Parse(s.Raw, s.Tag, s.Charset, group));
            }
        }
        if (reader.Error is { } error)
        {
            findings.Add(new($"{Descriptor.Name}: offset {reader.ErrorOffset}", $"the interchange cannot be read: {error}"));
        }
        if (findings.Count == 0 && messages == 0)
        {
            findings.Add(new($"{Descriptor.Name}: UNH", $"the input holds no {message.Type} message (UNH ... UNT)."));
        }
        if (findings.Count > 0)
        {
            return new(findings);
        }
        if (batch is not null)
        {
            writer.WriteEndElement();
        }
        return MappingOutcome.Mapped;
    }

    /// <summary>Every prefix of the rules file on the document element, so the output reads like the target's samples.</summary>
    private void DeclareNamespaces(XmlWriter writer)
    {
        foreach (var (prefix, uri) in namespaces)
        {
            if (writer.LookupPrefix(uri) is null)
            {
                writer.WriteAttributeString("xmlns", prefix, null, uri);
            }
        }
    }

    private void Evaluate(XmlRule rule, EdifactContext context, List<OutNode> into, string where, List<MappingFinding> findings)
    {
        var before = into.Count;
        if (rule.Foreach is { } each)
        {
            foreach (var item in context.Each(each))
            {
                EvaluateOne(rule, item, into, where, findings);
            }
        }
        else
        {
            EvaluateOne(rule, context, into, where, findings);
        }
        // A required value reports itself; a required container or loop that produced nothing is reported here.
        if (rule.Required && rule.Value is null && into.Count == before)
        {
            findings.Add(new($"{Descriptor.Name}: {where}{rule.Foreach?.Text ?? rule.Name}", $"nothing in the message maps to the required {rule.Name}."));
        }
    }

    private void EvaluateOne(XmlRule rule, EdifactContext context, List<OutNode> into, string where, List<MappingFinding> findings)
    {
        if (rule.When is { } when && !Holds(when, context))
        {
            return;
        }
        var node = new OutNode(rule);
        if (rule.Value is { } value)
        {
            var found = value.Edifact is null ? null : context.Value(value.Edifact);
            var format = found is { } f && value.Edifact!.FormatSlot is { } fs ? f.Segment.Get(fs.Position, fs.Component) : null;
            var unit = value.UnitEdifact is null ? null : context.Value(value.UnitEdifact)?.Value;
            node.Text = ValueRules.Finish(value, found?.Value, format, unit, Descriptor.Name, where, findings);
            if (node.Text is null)
            {
                return;
            }
        }
        foreach (var child in rule.Children)
        {
            Evaluate(child, context, node.Children, where, findings);
        }
        // An element with nothing in it is left out: optional target elements stay absent, not empty.
        if (node.Text is not null || node.Children.Any(c => !c.Rule.IsAttribute))
        {
            into.Add(node);
        }
    }

    private static bool Holds(Condition when, EdifactContext context)
    {
        var value = context.Value(when.Edifact!)?.Value;
        var holds = when.EqualsAny is null ? value is not null : value is not null && when.EqualsAny.Contains(value);
        return holds != when.Negate;
    }

    /// <summary>One element or attribute of a message's output, kept until the message is mapped completely.</summary>
    private sealed class OutNode(XmlRule rule)
    {
        public XmlRule Rule { get; } = rule;

        public string? Text { get; set; }

        public List<OutNode> Children { get; } = [];

        public void Write(XmlWriter writer, EdifactToXmlMapping? declaring = null)
        {
            if (Rule.IsAttribute)
            {
                writer.WriteAttributeString(Rule.Prefix, Rule.LocalName, Rule.Prefix.Length == 0 ? null : Rule.Namespace, Text);
                return;
            }
            writer.WriteStartElement(Rule.Prefix, Rule.LocalName, Rule.Namespace);
            declaring?.DeclareNamespaces(writer);
            foreach (var attribute in Children)
            {
                if (attribute.Rule.IsAttribute)
                {
                    attribute.Write(writer);
                }
            }
            if (Text is not null)
            {
                writer.WriteString(Text);
            }
            foreach (var element in Children)
            {
                if (!element.Rule.IsAttribute)
                {
                    element.Write(writer);
                }
            }
            writer.WriteEndElement();
        }
    }
}
