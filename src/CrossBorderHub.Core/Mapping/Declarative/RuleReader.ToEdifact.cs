using System.Text.Json;
using CrossBorderHub.Edifact.Directory;

namespace CrossBorderHub.Core.Mapping.Declarative;

/// <summary>
/// XML -> EDIFACT rules: "message" lists segments and groups in the order of the message's segment table, each
/// value addressed in its segment and taken from an XPath. Checked on load: every segment and group is where the
/// directory puts it, in order, and every mandatory segment and data element is written.
/// </summary>
internal sealed partial class RuleReader
{
    private static readonly string[] ValueKeys = ["value", "const", "default", "table", "convert", "unit", "required", "comment"];

    public (GroupRule? Message, EnvelopeRule? Envelope) ReadEdifactOutput(MessageSpec message)
    {
        ReadTables(edifactKeys: false);
        var body = Root["message"];
        if (body?.Kind != JsonValueKind.Object || body["segments"]?.Kind != JsonValueKind.Array)
        {
            Error(Root, "an XML -> EDIFACT mapping has no \"message\": {\"segments\": [...]}.", "add \"message\": {\"segments\": [{\"segment\": \"BGM\", \"values\": {...}}]}.");
            return (null, null);
        }
        var root = new GroupRule { Name = message.Type };
        ReadChildren(body, body["segments"], message.Root, root);
        return (root, ReadEnvelope());
    }

    private void ReadChildren(JsonTree owner, JsonTree? items, StructureNode node, GroupRule into)
    {
        var next = 0;
        var written = new HashSet<StructureNode>();
        foreach (var item in Expand(items))
        {
            CheckKeys(item, "segment", "group", "values", "segments", "foreach", "when", "comment");
            var name = item.String("segment") ?? item.String("group");
            if (name is null)
            {
                Error(item, "a message rule needs \"segment\" or \"group\".", "add \"segment\": \"BGM\" or \"group\": \"SG7\".");
                continue;
            }
            var isGroup = item["group"] is not null;
            var at = node.Children.FindIndex(next, c => c.IsGroup == isGroup && c.Name == name);
            // A segment the table allows once that already has its rule is the next one of that tag (UNS+D, UNS+S).
            while (at >= 0 && written.Contains(node.Children[at]) && node.Children[at].MaxRepeat == 1
                && node.Children.FindIndex(at + 1, c => c.IsGroup == isGroup && c.Name == name) is var later and >= 0)
            {
                at = later;
            }
            if (at < 0)
            {
                var earlier = node.Children.FindIndex(c => c.IsGroup == isGroup && c.Name == name);
                Error(item, earlier >= 0
                        ? $"{name} comes after {node.Children[next].Name} here, but {EdifactPath.Describe(node)} puts it before."
                        : $"{(isGroup ? "group" : "segment")} {name} is not in {EdifactPath.Describe(node)}.",
                    earlier >= 0 ? "order the rules as the message's segment table does." : $"use one of: {EdifactPath.Join(node.Children.Select(c => c.Name))}.");
                continue;
            }
            next = at;
            written.Add(node.Children[at]);
            var each = item["foreach"] is { Text: { } f } fn ? CompileXPath(fn, f) : null;
            var when = item["when"] is { Text: { } w } wn ? new Condition { Text = w, XPath = CompileXPath(wn, w) } : null;
            if (isGroup)
            {
                var group = new GroupRule { Name = name, Foreach = each, When = when };
                ReadChildren(item, item["segments"], node.Children[at], group);
                into.Children.Add(group);
            }
            else if (ReadSegment(item, name, each, when) is { } segment)
            {
                into.Children.Add(segment);
            }
        }
        // The trigger of a group and every mandatory segment must be written, or the output never validates.
        foreach (var missing in node.Children.Where(c => c.Mandatory && !written.Contains(c)))
        {
            Error(owner, $"mandatory {(missing.IsGroup ? "group" : "segment")} {missing.Name} of {EdifactPath.Describe(node)} is never written.", $"add a rule for {missing.Name} (in segment-table order).");
        }
    }

    private SegmentRule? ReadSegment(JsonTree item, string tag, System.Xml.XPath.XPathExpression? each, Condition? when)
    {
        // UNS is a service segment (ISO 9735), defined beside UNH/UNT, not in the directory's EDSD.
        if ((_directory.Segments.GetValueOrDefault(tag) ?? ServiceDefinitions.For(3).Segments.GetValueOrDefault(tag)) is not { } spec)
        {
            Error(item, $"segment {tag} is not defined in directory {_directory.Name}.", "check the segment tag.");
            return null;
        }
        var rule = new SegmentRule { Spec = spec, Foreach = each, When = when };
        foreach (var (slotText, line, column, value) in item["values"]?.Members ?? [])
        {
            var slot = EdifactPath.ResolveSlot(spec, slotText, out var problem, out var fix);
            if (slot is null)
            {
                Error(line, column, problem!, fix!);
                continue;
            }
            var v = value.Kind == JsonValueKind.String ? new ValueRule { Source = value.Text!, XPath = CompileXPath(value, value.Text!) } : ReadValueObject(value);
            if (v is not null)
            {
                rule.Values.Add((slot.Value, v));
            }
        }
        for (var e = 0; e < spec.Elements.Length; e++)
        {
            var element = spec.Elements[e];
            var set = rule.Values.Where(v => v.Slot.Position == e + 1).Select(v => v.Slot.Component).ToHashSet();
            if (element.Mandatory && set.Count == 0)
            {
                Error(item, $"mandatory data element {element.Id} ({element.Name}) of {tag} is never written.", $"add \"{element.Id}\" (or a component of it) under \"values\".");
            }
            for (var c = 0; set.Count > 0 && c < (element.Components?.Length ?? 0); c++)
            {
                if (element.Components![c].Mandatory && !set.Contains(c))
                {
                    Error(item, $"mandatory component {element.Components[c].Id} of {element.Id} in {tag} is never written.", $"add \"{element.Id}/{element.Components[c].Id}\" under \"values\".");
                }
            }
        }
        return rule;
    }

    private ValueRule? ReadValueObject(JsonTree value)
    {
        if (value.Kind != JsonValueKind.Object)
        {
            Error(value, "a segment value is neither an XPath string nor an object.", "write \"3039\": \"d:ID\" or \"3035\": {\"const\": \"DT\"}.");
            return null;
        }
        CheckKeys(value, ValueKeys);
        var rule = ReadValue(value, CompileXPath);
        if (rule is null)
        {
            Error(value, "the value has no \"value\", \"const\" or \"default\".", "add one of them.");
        }
        return rule;
    }

    private EnvelopeRule? ReadEnvelope()
    {
        var envelope = Root["envelope"];
        if (envelope?.Kind != JsonValueKind.Object)
        {
            Error(Root, "an XML -> EDIFACT mapping has no \"envelope\".", "add \"envelope\": {\"sender\": {\"const\": \"...\"}, \"recipient\": {...}}.");
            return null;
        }
        CheckKeys(envelope, "syntax", "sender", "recipient", "senderQualifier", "recipientQualifier", "controlReference", "messageReference", "preparedAt", "comment");
        ValueRule? Part(string name) => envelope[name] is { } node ? ReadValueObject(node) : null;
        var sender = Part("sender");
        var recipient = Part("recipient");
        if (sender is null || recipient is null)
        {
            Error(envelope, "the envelope needs \"sender\" and \"recipient\".", "add both (an XPath \"value\" or a \"const\").");
            return null;
        }
        var syntax = (envelope.String("syntax") ?? "UNOC:3").Split(':');
        return new EnvelopeRule
        {
            Syntax = syntax[0],
            SyntaxVersion = syntax.Length > 1 && int.TryParse(syntax[1], out var v) ? v : 3,
            Sender = sender,
            Recipient = recipient,
            SenderQualifier = envelope.String("senderQualifier"),
            RecipientQualifier = envelope.String("recipientQualifier"),
            ControlReference = Part("controlReference"),
            MessageReference = Part("messageReference"),
            PreparedAt = Part("preparedAt"),
        };
    }
}
