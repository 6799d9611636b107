using System.Xml.Linq;
using CrossBorderHub.Xml.Tests;

namespace CrossBorderHub.Core.Tests.Mapping;

/// <summary>The declarative engine's rules, each on a small CUSDEC, checked against the real D96B directory.</summary>
public sealed class DeclarativeMappingTests
{
    internal static readonly string EdifactRoot = Path.Combine(XmlSamples.RepositoryRoot, "schemas", "edifact");

    private const string ToXml = """{ "version": "1.0", "kind": "declarative", "source": {"format": "edifact", "standard": "D96B/CUSDEC"}, "target": {"format": "xml"}, "file": "rules.json" }""";

    private const string Cusdec = """
        UNA:+,? '
        UNB+UNOC:3+SENDER:ZZ+RECEIVER:ZZ+261123:0915+REF1'
        UNH+1+CUSDEC:D:96B:UN'
        BGM+830+DEC-1+9'
        DTM+137:202611230915:203'
        DTM+182:20261124:102'
        DTM+171:20261125101530:204'
        NAD+EX+EXP1++Exporter Ltd'
        NAD+DT+DECL1++Declarant Ltd'
        MOA+39:1250,50'
        UNS+D'
        CST+1+08106000'
        MEA+AAE+AAB+TNE:1,5'
        CST+2+08045020'
        UNS+S'
        UNT+14+1'
        UNZ+1+REF1'
        """;

    private string _root = "";

    [SetUp]
    public void CreateFolder() => Directory.CreateDirectory(_root = Path.Combine(Path.GetTempPath(), $"mappings-{Guid.NewGuid():N}"));

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_root, recursive: true);

    private MappingCatalog Load(string rules, string manifest = ToXml)
    {
        Directory.CreateDirectory(Path.Combine(_root, "m"));
        File.WriteAllText(Path.Combine(_root, "m", "mapping.json"), manifest);
        File.WriteAllText(Path.Combine(_root, "m", "rules.json"), rules);
        return new MappingCatalog(_root, MappingCatalog.Compilers(EdifactRoot)).Load();
    }

    private XElement MapToXml(string output, string tables = "{}", string input = Cusdec)
    {
        var catalog = Load($$"""{ "tables": {{tables}}, "output": {{output}} }""");
        Assert.That(catalog.Errors, Is.Empty, string.Join("\n", catalog.Errors));
        using var target = new MemoryStream();
        var outcome = catalog.Find("m")!.Map(new MemoryStream(Encoding.Latin1.GetBytes(input)), target, CancellationToken.None);
        Assert.That(outcome.Findings, Is.Empty);
        return XElement.Parse(Encoding.UTF8.GetString(target.ToArray()));
    }

    [Test]
    public void A_loop_maps_each_segment_group_instance_to_a_repeated_element()
    {
        var xml = MapToXml("""{ "element": "Items", "children": [ { "element": "Item", "foreach": "SG30", "children": [ { "element": "No", "value": "CST/1496" }, { "element": "Hs", "value": "CST/C246/7361" } ] } ] }""");
        Assert.That(xml.Elements("Item").Select(i => (string)i.Element("No")! + "/" + (string)i.Element("Hs")!), Is.EqualTo(new[] { "1/08106000", "2/08045020" }));
    }

    [Test]
    public void A_code_table_translates_a_code_and_its_default_covers_codes_it_does_not_list()
    {
        var xml = MapToXml(
            """{ "element": "D", "children": [ { "element": "Type", "value": "BGM/C002/1001", "table": "types" }, { "element": "Role", "value": "SG6/NAD[3035=EX|DT]/3035", "table": "roles" } ] }""",
            """{ "types": { "edifact": "1001", "map": { "830": "EXA" } }, "roles": { "edifact": "3035", "map": { "CN": "consignee" }, "default": "other" } }""");
        Assert.That((string)xml.Element("Type")!, Is.EqualTo("EXA"));
        Assert.That((string)xml.Element("Role")!, Is.EqualTo("other"));
    }

    [Test]
    public void EDIFACT_dates_in_formats_102_203_and_204_become_ISO_8601()
    {
        var xml = MapToXml("""{ "element": "D", "children": [ { "element": "A", "value": "DTM[C507/2005=137]/C507/2380", "convert": "date:iso" }, { "element": "B", "value": "DTM[C507/2005=182]/C507/2380", "convert": "date:iso" }, { "element": "C", "value": "DTM[C507/2005=171]/C507/2380", "convert": "date:iso" } ] }""");
        Assert.That(new[] { (string)xml.Element("A")!, (string)xml.Element("B")!, (string)xml.Element("C")! }, Is.EqualTo(new[] { "2026-11-23T09:15", "2026-11-24", "2026-11-25T10:15:30Z" }));
    }

    [Test]
    public void A_decimal_comma_becomes_a_point_and_a_weight_in_tonnes_becomes_kilograms()
    {
        var xml = MapToXml("""{ "element": "D", "children": [ { "element": "Amount", "value": "SG8/MOA/C516/5004", "convert": "decimal" }, { "element": "Kg", "foreach": "SG30", "value": "MEA/C174/6314", "convert": "unit:KGM", "unit": "MEA/C174/6411" } ] }""");
        Assert.That((string)xml.Element("Amount")!, Is.EqualTo("1250.50"));
        Assert.That((string)xml.Element("Kg")!, Is.EqualTo("1500"));
    }

    [Test]
    public void A_condition_keeps_an_element_only_when_it_holds()
    {
        var xml = MapToXml("""{ "element": "D", "children": [ { "element": "Original", "when": "BGM/1225=9", "const": "yes" }, { "element": "Cancelled", "when": "BGM/1225=1", "const": "yes" }, { "element": "NotImport", "when": "BGM/C002/1001!=929", "const": "yes" } ] }""");
        Assert.That(xml.Elements().Select(e => e.Name.LocalName), Is.EqualTo(new[] { "Original", "NotImport" }));
    }

    [Test]
    public void A_default_fills_a_value_the_message_does_not_have_and_an_empty_element_is_left_out()
    {
        var xml = MapToXml("""{ "element": "D", "children": [ { "element": "Office", "value": "LOC[3227=22]/C517/3225", "default": "0000" }, { "element": "Empty", "children": [ { "element": "X", "value": "LOC[3227=35]/C517/3225" } ] } ] }""");
        Assert.That((string)xml.Element("Office")!, Is.EqualTo("0000"));
        Assert.That(xml.Element("Empty"), Is.Null);
    }

    [Test]
    public void A_missing_required_value_is_a_finding_naming_the_mapping_and_the_source_path()
    {
        var catalog = Load("""{ "output": { "element": "D", "children": [ { "element": "Office", "value": "LOC[3227=22]/C517/3225", "required": true } ] } }""");
        using var target = new MemoryStream();
        var outcome = catalog.Find("m")!.Map(new MemoryStream(Encoding.Latin1.GetBytes(Cusdec)), target, CancellationToken.None);
        Assert.That(outcome.Succeeded, Is.False);
        Assert.That(outcome.Findings[0].SourcePath, Is.EqualTo("m: message 1: LOC[3227=22]/C517/3225"));
        Assert.That(outcome.Findings[0].Message, Does.Contain("required value is missing"));
    }

    [Test]
    public void A_rules_file_with_three_errors_yields_three_errors_each_at_its_line_and_column_with_a_fix()
    {
        var catalog = Load("""
            {
              "output": { "element": "D", "children": [
                { "element": "A", "value": "SG6/NAD[3035=QQ]/C080/3036" },
                { "element": "B", "value": "BGM/C999/1004" },
                { "element": "C", "value": "SG99/CST/1496" }
              ] }
            }
            """);
        var errors = catalog.Errors;
        Assert.That(errors, Has.Count.EqualTo(3), string.Join("\n", errors));
        Assert.That(errors.Select(e => (e.Line, e.Column)), Is.EqualTo(new[] { (3, 32), (4, 32), (5, 32) }));
        Assert.That(errors[0].Problem, Does.Contain("'QQ' is not a code of 3035"));
        Assert.That(errors[1].Problem, Does.Contain("C999 is not a composite of segment BGM"));
        Assert.That(errors[2].Problem, Does.Contain("group SG99 is not in the top level of CUSDEC"));
        Assert.That(errors.All(e => e.Fix.Length > 0 && e.ToString().Contains($":{e.Line}:{e.Column}: ", StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public void A_bad_XPath_an_unknown_table_value_and_a_template_cycle_are_load_errors()
    {
        var catalog = Load("""
            {
              "namespaces": { "d": "urn:d" },
              "tables": { "t": { "edifact": "1001", "map": { "X": "9999" } } },
              "templates": { "a": [ { "use": "b" } ], "b": [ { "use": "a" } ] },
              "envelope": { "sender": { "value": "/d:D/d:S[" }, "recipient": { "const": "R" } },
              "message": { "segments": [ { "segment": "BGM", "values": { "C002/1001": { "value": "/d:D/d:T", "table": "t" } } }, { "use": "a" } ] }
            }
            """, """{ "version": "1", "kind": "declarative", "source": {"format": "xml"}, "target": {"format": "edifact", "standard": "D96B/CUSDEC"}, "file": "rules.json" }""");
        var problems = catalog.Errors.Select(e => e.Problem).ToList();
        Assert.That(problems, Has.Some.Contains("'9999' in table 't' is not a code of 1001"));
        Assert.That(problems, Has.Some.Contains("a cycle never ends"));
        Assert.That(problems, Has.Some.Contains("XPath '/d:D/d:S[' does not parse"));
        Assert.That(problems, Has.Some.Contains("mandatory segment UNS"));
    }

    [Test]
    public void A_segment_without_its_mandatory_data_element_is_refused_at_load()
    {
        var catalog = Load("""
            { "envelope": { "sender": { "const": "S" }, "recipient": { "const": "R" } },
              "message": { "segments": [ { "segment": "BGM", "values": {} }, { "group": "SG6", "segments": [ { "segment": "NAD", "values": { "C082/3039": "/x" } } ] },
                { "segment": "UNS", "values": { "0081": { "const": "D" } } }, { "segment": "UNS", "values": { "0081": { "const": "S" } } } ] } }
            """, """{ "version": "1", "kind": "declarative", "source": {"format": "xml"}, "target": {"format": "edifact", "standard": "D96B/CUSDEC"}, "file": "rules.json" }""");
        Assert.That(catalog.Errors.Select(e => e.Problem), Is.EqualTo(new[] { "mandatory data element 3035 (PARTY QUALIFIER) of NAD is never written." }));
    }

    [Test]
    public void An_interchange_of_two_messages_needs_a_batch_element()
    {
        var two = Cusdec.Replace("UNZ+1+REF1'", "UNH+2+CUSDEC:D:96B:UN'\nBGM+830+DEC-2+9'\nUNS+D'\nUNS+S'\nUNT+5+2'\nUNZ+2+REF1'", StringComparison.Ordinal);
        var single = Load("""{ "output": { "element": "D", "children": [ { "element": "No", "value": "BGM/C106/1004" } ] } }""");
        using var target = new MemoryStream();
        Assert.That(single.Find("m")!.Map(new MemoryStream(Encoding.Latin1.GetBytes(two)), target, CancellationToken.None).Findings[0].Message, Does.Contain("more than one message"));
        Directory.Delete(Path.Combine(_root, "m"), recursive: true);
        var xml = MapToXml("""{ "element": "D", "children": [ { "element": "No", "value": "BGM/C106/1004" } ] }""".Replace("{ \"element\": \"D\"", "{ \"element\": \"D\"", StringComparison.Ordinal), input: two, tables: """{}, "batch": "Batch" """);
        Assert.That(xml.Name.LocalName, Is.EqualTo("Batch"));
        Assert.That(xml.Elements("D").Select(d => (string)d.Element("No")!), Is.EqualTo(new[] { "DEC-1", "DEC-2" }));
    }
}
