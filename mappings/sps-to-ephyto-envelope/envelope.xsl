<?xml version="1.0" encoding="UTF-8"?>
<!-- Wraps a UN/CEFACT SPS certificate in the envelope an ePhyto hub exchanges: from/to (the issuing and receiving
     NPPO's country), the certificate type and status, and the NPPO certificate number, followed by the certificate as is. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:rsm="urn:un:unece:uncefact:data:standard:SPSCertificate:17"
    xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:21"
    xmlns:env="urn:crossborderhub:ephyto:envelope:1"
    exclude-result-prefixes="ram">
  <xsl:output method="xml" indent="yes" encoding="UTF-8"/>

  <xsl:template match="/">
    <xsl:if test="not(rsm:SPSCertificate)">
      <xsl:message terminate="yes">/rsm:SPSCertificate: the document is not an SPS certificate.</xsl:message>
    </xsl:if>
    <xsl:apply-templates select="rsm:SPSCertificate"/>
  </xsl:template>

  <xsl:template match="rsm:SPSCertificate">
    <xsl:variable name="doc" select="rsm:SPSExchangedDocument"/>
    <xsl:if test="not(normalize-space($doc/ram:ID))">
      <xsl:message terminate="yes">/rsm:SPSCertificate/rsm:SPSExchangedDocument/ram:ID: the NPPO certificate number is missing.</xsl:message>
    </xsl:if>
    <env:Envelope>
      <env:Header>
        <env:From><xsl:value-of select="rsm:SPSConsignment/ram:ExportSPSCountry/ram:ID"/></env:From>
        <env:To><xsl:value-of select="rsm:SPSConsignment/ram:ImportSPSCountry/ram:ID"/></env:To>
        <env:CertificateType><xsl:value-of select="$doc/ram:TypeCode"/></env:CertificateType>
        <env:CertificateStatus><xsl:value-of select="$doc/ram:StatusCode"/></env:CertificateStatus>
        <env:NPPOCertificateNumber><xsl:value-of select="normalize-space($doc/ram:ID)"/></env:NPPOCertificateNumber>
      </env:Header>
      <env:Content>
        <xsl:copy-of select="."/>
      </env:Content>
    </env:Envelope>
  </xsl:template>
</xsl:stylesheet>
