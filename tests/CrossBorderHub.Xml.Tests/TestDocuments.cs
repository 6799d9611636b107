namespace CrossBorderHub.Xml.Tests;

/// <summary>Documents to sign: a small certificate-like one and big ones of a chosen size.</summary>
internal static class TestDocuments
{
    public const string Small = """
        <?xml version="1.0" encoding="UTF-8"?>
        <c:Certificate xmlns:c="urn:example:test" c:version="1">
          <c:Number>CN-2026-000123</c:Number>
          <c:Exporter>Guangxi Fruit Export Co., Ltd.</c:Exporter>
          <c:Consignee>Bangkok Fresh Import Co., Ltd.</c:Consignee>
          <c:Item hs="0810.90">Fresh longan, 1 200 cartons</c:Item>
        </c:Certificate>
        """;

    /// <summary>A document of about <paramref name="bytes"/> bytes.</summary>
    public static string OfSize(int bytes)
    {
        var builder = new StringBuilder(bytes + 1024);
        builder.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<c:Certificate xmlns:c=\"urn:example:test\">\n");
        var i = 0;
        while (builder.Length < bytes)
        {
            builder.Append("  <c:Item n=\"").Append(i++).Append("\"><c:Description>Fresh longan, grade A, cartons of 10 kg</c:Description><c:Hs>0810.90</c:Hs><c:Weight unit=\"KGM\">1200.5</c:Weight></c:Item>\n");
        }
        builder.Append("</c:Certificate>\n");
        return builder.ToString();
    }
}
