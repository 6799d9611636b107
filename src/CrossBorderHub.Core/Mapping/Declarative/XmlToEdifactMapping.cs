using System.Globalization;
using System.Xml;
using System.Xml.XPath;
using CrossBorderHub.Core.Messages;
using CrossBorderHub.Edifact;
using CrossBorderHub.Edifact.Directory;
using CrossBorderHub.Edifact.Model;
using CrossBorderHub.Xml;

namespace CrossBorderHub.Core.Mapping.Declarative;

/// <summary>
/// A declarative XML -> EDIFACT mapping: the document is read (through <see cref="SafeXml"/>) into an XPath
/// document, the message rules build the body segments in segment-table order, and UNB/UNH/UNT/UNZ come from the
/// envelope rule and the target's directory and message type. Nothing is written unless every segment was built.
/// </summary>
internal sealed class XmlToEdifactMapping(MappingDescriptor descriptor, MessageSpec message, string directory, GroupRule body, EnvelopeRule envelope) : IMapping
{
    public MappingDescriptor Descriptor { get; } = descriptor;

    public MappingOutcome Map(Stream source, Stream target, CancellationToken cancellationToken)
    {
        XPathNavigator document;
        XmlReader? reader = null;
        try
        {
            reader = SafeXml.CreateReader(source);
            document = new XPathDocument(reader).CreateNavigator();
        }
        catch (UnsafeXmlException ex)
        {
            return MappingOutcome.Failed(new MappingFinding($"{Descriptor.Name}: {ex.Location}", $"{ex.Code}: {ex.Message}"));
        }
        catch (XmlException ex)
        {
            var safe = SafeXml.Translate(ex, reader);
            return MappingOutcome.Failed(new MappingFinding($"{Descriptor.Name}: {safe.Location}", $"{safe.Code}: {safe.Message}"));
        }
        finally
        {
            reader?.Dispose();
        }
        document.MoveToRoot();
        var findings = new List<MappingFinding>();
        var segments = new List<Segment>();
        foreach (var rule in body.Children)
        {
            Emit(rule, document, segments, findings);
        }
        var sender = Value(envelope.Sender, document, findings);
        var recipient = Value(envelope.Recipient, document, findings);
        var control = (envelope.ControlReference is { } c ? Value(c, document, findings) : null)
            ?? ControlReferences.For('M', string.Concat(segments.Select(s => s.Tag + string.Join('+', s.Elements.Select(e => string.Join(':', e.Components))))), 13);
        var prepared = envelope.PreparedAt is { } p && Value(p, document, findings) is { } at ? Conversions.ParseDate(at, null) : null;
        if (findings.Count > 0)
        {
            return new(findings);
        }
        var version = directory[..1];
        var release = directory[1..];
        var builder = new InterchangeBuilder(envelope.Syntax, envelope.SyntaxVersion, sender!, recipient!, control, prepared ?? DateTimeOffset.UtcNow)
        {
            SenderQualifier = envelope.SenderQualifier,
            RecipientQualifier = envelope.RecipientQualifier,
            Delimiters = envelope.SyntaxVersion >= 4 ? Delimiters.DefaultSyntax4 : Delimiters.Default,
            SegmentSeparator = "\n",
        };
        var reference = (envelope.MessageReference is { } m ? Value(m, document, findings) : null) ?? "1";
        builder.AddMessage(reference, message.Type, version, release, "UN", segments);
        target.Write(builder.ToBytes());
        return MappingOutcome.Mapped;
    }

    private void Emit(EdifactRule rule, XPathNavigator context, List<Segment> into, List<MappingFinding> findings)
    {
        foreach (var item in rule.Foreach is null ? [context] : Select(context, rule.Foreach))
        {
            if (rule.When?.XPath is { } when && !Truth(item.Evaluate(when.Clone())))
            {
                continue;
            }
            if (rule is GroupRule group)
            {
                foreach (var child in group.Children)
                {
                    Emit(child, item, into, findings);
                }
            }
            else if (Build((SegmentRule)rule, item, findings) is { } segment)
            {
                into.Add(segment);
            }
        }
    }

    /// <summary>
    /// One segment from its values. A segment whose every sourced value is absent is left out (an optional party
    /// the document does not have); one that is written must hold its mandatory data elements.
    /// </summary>
    private Segment? Build(SegmentRule rule, XPathNavigator context, List<MappingFinding> findings)
    {
        var values = new List<(ElementSlot Slot, string Value)>();
        var sourced = 0;
        var present = 0;
        foreach (var (slot, value) in rule.Values)
        {
            if (!value.IsConstant && value.XPath is not null)
            {
                sourced++;
            }
            var raw = value.XPath is null ? null : Text(context, value.XPath);
            if (!value.IsConstant && !string.IsNullOrEmpty(raw))
            {
                present++;
            }
            var unit = value.UnitXPath is null ? null : Text(context, value.UnitXPath);
            if (ValueRules.Finish(value, raw, null, unit, Descriptor.Name, $"{rule.Spec.Tag}/{slot.Id}: ", findings) is { Length: > 0 } v)
            {
                values.Add((slot, v));
            }
        }
        if (sourced > 0 && present == 0)
        {
            return null;
        }
        var elements = new List<List<string>>();
        foreach (var (slot, value) in values)
        {
            while (elements.Count < slot.Position)
            {
                elements.Add([]);
            }
            var components = elements[slot.Position - 1];
            while (components.Count <= slot.Component)
            {
                components.Add("");
            }
            components[slot.Component] = value;
        }
        for (var e = 0; e < rule.Spec.Elements.Length; e++)
        {
            if (rule.Spec.Elements[e].Mandatory && (e >= elements.Count || elements[e].All(v => v.Length == 0)))
            {
                findings.Add(new($"{Descriptor.Name}: {rule.Spec.Tag}/{rule.Spec.Elements[e].Id}", $"mandatory data element {rule.Spec.Elements[e].Id} of {rule.Spec.Tag} has no value in the document."));
            }
        }
        return new Segment(rule.Spec.Tag, [.. elements.Select(c => new Element(c.Count == 0 ? [""] : [.. c]))]);
    }

    private string? Value(ValueRule rule, XPathNavigator context, List<MappingFinding> findings) =>
        ValueRules.Finish(rule, rule.XPath is null ? null : Text(context, rule.XPath), null, null, Descriptor.Name, "envelope ", findings);

    /// <summary>XPath's boolean(): a node-set is true when it is not empty, a string when not empty, a number when not 0 or NaN.</summary>
    private static bool Truth(object result) => result switch
    {
        XPathNodeIterator nodes => nodes.MoveNext(),
        bool b => b,
        double d => d != 0 && !double.IsNaN(d),
        string text => text.Length > 0,
        _ => false,
    };

    private static IEnumerable<XPathNavigator> Select(XPathNavigator context, XPathExpression expression)
    {
        // Compiled XPath expressions keep evaluation state: a clone per use keeps Map safe to call concurrently.
        var iterator = context.Select(expression.Clone());
        while (iterator.MoveNext())
        {
            yield return iterator.Current!.Clone();
        }
    }

    private static string? Text(XPathNavigator context, XPathExpression expression) => context.Evaluate(expression.Clone()) switch
    {
        XPathNodeIterator nodes => nodes.MoveNext() ? nodes.Current!.Value.Trim() : null,
        double number => double.IsNaN(number) ? null : number.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        var other => other?.ToString(),
    };
}
