namespace CrossBorderHub.Edifact.Tests;

public class ReaderTests
{
    internal readonly record struct Token(EdifactTokenType Type, string Value, long Offset, int Segment, int Element, int Component, int Repetition);

    internal static List<Token> Tokenize(byte[] data)
    {
        var tokens = new List<Token>();
        var reader = new EdifactReader(data);
        while (reader.Read())
        {
            tokens.Add(Current(ref reader));
        }
        return tokens;
    }

    /// <summary>Feeds the data in chunks of <paramref name="chunk"/> bytes, carrying the unconsumed rest over.</summary>
    internal static List<Token> TokenizeChunked(byte[] data, int chunk)
    {
        var tokens = new List<Token>();
        var state = default(EdifactReaderState);
        var pending = new List<byte>();
        var position = 0;
        while (true)
        {
            var take = Math.Min(chunk, data.Length - position);
            pending.AddRange(data.AsSpan(position, take).ToArray());
            position += take;
            var final = position == data.Length;
            var buffer = pending.ToArray();
            var reader = new EdifactReader(buffer, final, state);
            while (reader.Read())
            {
                tokens.Add(Current(ref reader));
            }
            state = reader.CurrentState;
            pending = [.. buffer.AsSpan(reader.BytesConsumed).ToArray()];
            if (final)
            {
                return tokens;
            }
        }
    }

    private static Token Current(ref EdifactReader reader) =>
        new(reader.TokenType, reader.GetString(), reader.TokenStartOffset, reader.SegmentNumber, reader.ElementIndex, reader.ComponentIndex, reader.RepetitionIndex);

    [Test]
    public void Reads_tags_elements_components_and_segment_ends_with_positions()
    {
        var tokens = Tokenize("UNB+UNOC:3+A'\r\nUNH+1'"u8.ToArray());
        Assert.That(tokens.Select(t => (t.Type, t.Value, t.Element, t.Component)), Is.EqualTo(new[]
        {
            (EdifactTokenType.SegmentTag, "UNB", 0, 0),
            (EdifactTokenType.Element, "UNOC", 1, 0),
            (EdifactTokenType.Component, "3", 1, 1),
            (EdifactTokenType.Element, "A", 2, 0),
            (EdifactTokenType.SegmentEnd, "", 2, 0),
            (EdifactTokenType.SegmentTag, "UNH", 0, 0),
            (EdifactTokenType.Element, "1", 1, 0),
            (EdifactTokenType.SegmentEnd, "", 1, 0),
        }));
        Assert.That(tokens[5].Offset, Is.EqualTo(15), "after UNB's 13 bytes and CR LF");
        Assert.That(tokens[5].Segment, Is.EqualTo(2));
    }

    [Test]
    public void Una_sets_the_delimiters_and_is_reported_as_a_segment()
    {
        var tokens = Tokenize("\uFEFFUNA|^.# ~UNB^UNOC|3^X Y#^Z~"u8.ToArray());
        Assert.That(tokens.Select(t => t.Value), Is.EqualTo(new[] { "UNA", "|^.# ~", "", "UNB", "UNOC", "3", "X Y^Z", "" }));
        Assert.That(tokens[0].Offset, Is.EqualTo(3), "the BOM is skipped");
    }

    [TestCase("FTX+AAA+++a?+b?:c?'d??'", "a+b:c'd?")]
    [TestCase("FTX+AAA+++???''", "?'")]
    [TestCase("FTX+AAA+++x?*y'", "x*y")]
    public void Release_character_makes_the_next_character_data(string text, string expected)
    {
        var tokens = Tokenize(Encoding.ASCII.GetBytes("UNB+UNOC:4+S+R+20240101:0000+1'" + text));
        var last = tokens.Last(t => t.Type != EdifactTokenType.SegmentEnd);
        Assert.That(last.Value, Is.EqualTo(expected));
    }

    [Test]
    public void An_odd_run_of_release_characters_escapes_a_separator_across_the_32_byte_block_boundary()
    {
        for (var pad = 0; pad < 40; pad++)
        {
            var value = new string('x', pad) + "???+tail";
            var tokens = Tokenize(Encoding.ASCII.GetBytes("FTX+" + value + "+next'"));
            Assert.That(tokens[1].Value, Is.EqualTo(new string('x', pad) + "?+tail"), $"pad {pad}");
            Assert.That(tokens[2].Value, Is.EqualTo("next"));
        }
    }

    [Test]
    public void Syntax_4_without_una_uses_the_repetition_separator()
    {
        var tokens = Tokenize("UNB+UNOC:4+S+R+20240101:0000+1'RFF+A:1*B:2'"u8.ToArray());
        var rff = tokens.SkipWhile(t => t.Value != "RFF").ToList();
        Assert.That(rff.Select(t => (t.Type, t.Value, t.Repetition, t.Component)), Is.EqualTo(new[]
        {
            (EdifactTokenType.SegmentTag, "RFF", 0, 0),
            (EdifactTokenType.Element, "A", 0, 0),
            (EdifactTokenType.Component, "1", 0, 1),
            (EdifactTokenType.Repetition, "B", 1, 0),
            (EdifactTokenType.Component, "2", 1, 1),
            (EdifactTokenType.SegmentEnd, "", 1, 1),
        }));
    }

    [Test]
    public void Syntax_3_without_una_treats_the_asterisk_as_data()
    {
        var tokens = Tokenize("UNB+UNOC:3+S+R+240101:0000+1'FTX+a*b'"u8.ToArray());
        Assert.That(tokens.Any(t => t.Value == "a*b"), Is.True);
    }

    [Test]
    public void Level_b_defaults_use_the_information_separators()
    {
        var tokens = Tokenize(Encoding.ASCII.GetBytes("UNB\u001DUNOB\u001F1\u001DS\u001C"));
        Assert.That(tokens.Select(t => t.Value), Is.EqualTo(new[] { "UNB", "UNOB", "1", "S", "" }));
    }

    [Test]
    public void Unterminated_end_of_data_is_a_segment_end_marked_not_terminated()
    {
        var reader = new EdifactReader("UNZ+1+REF?"u8);
        var last = EdifactTokenType.None;
        var terminated = true;
        while (reader.Read())
        {
            last = reader.TokenType;
            terminated = reader.SegmentTerminated;
        }
        Assert.That(last, Is.EqualTo(EdifactTokenType.SegmentEnd));
        Assert.That(terminated, Is.False);
    }

    private static IEnumerable<string> AllSamples() => Samples.All();

    [TestCaseSource(nameof(AllSamples))]
    public void Chunked_reading_gives_the_same_tokens_as_one_block(string name)
    {
        var data = Samples.Read(name);
        var whole = Tokenize(data);
        foreach (var chunk in new[] { 1, 2, 3, 7, 31, 32, 33, 64, 1000 })
        {
            Assert.That(TokenizeChunked(data, chunk), Is.EqualTo(whole), $"chunk {chunk}");
        }
    }

    [Test]
    public void Vector_scan_agrees_with_a_byte_by_byte_reference_on_random_data()
    {
        var random = new Random(42);
        for (var round = 0; round < 200; round++)
        {
            var alphabet = "AB1:+?' \r\n*"u8.ToArray();
            var data = new byte[random.Next(1, 300)];
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = alphabet[random.Next(alphabet.Length)];
            }
            var prefixed = "UNB+UNOC:3+S'"u8.ToArray().Concat(data).ToArray();
            Assert.That(Tokenize(prefixed).Select(t => t.Value), Is.EqualTo(ReferenceValues(prefixed)), $"round {round}");
        }
    }

    [TestCase(0)]
    [TestCase(100_000)]
    public void Indexes_stay_exact_past_millions_of_elements_components_and_repetitions_in_one_segment(int chunk)
    {
        // The reader packs the three indexes in one word and goes "wide" once one reaches 2^20: every token of this
        // segment must carry the same indexes as a plain count, whole or read in chunks, and so must the next one.
        const int Many = (1 << 20) + 700, Components = (1 << 21) + 100; // a packed field holds 2^21 values
        var text = new StringBuilder("UNA:+.?*'UNB+UNOC:4+S+R+200101:0000+1'FTX+A");
        text.Append('+', Many).Append('B').Append(':', Components).Append('C').Append('*', Many).Append("D:E+F'");
        text.Append("UNZ+0+1:2*3'");
        var data = Encoding.ASCII.GetBytes(text.ToString());
        var expected = ReferenceIndexes(data, unaLength: 9).GetEnumerator();
        var count = 0;
        void Check(ref EdifactReader reader)
        {
            Assert.That(expected.MoveNext(), Is.True, "more tokens than the reference");
            var actual = (reader.TokenType, reader.ElementIndex, reader.ComponentIndex, reader.RepetitionIndex);
            if (actual != expected.Current)
            {
                Assert.Fail($"token {count} (offset {reader.TokenStartOffset}): {actual}, expected {expected.Current}");
            }
            count++;
        }
        if (chunk == 0)
        {
            var reader = new EdifactReader(data);
            while (reader.Read())
            {
                Check(ref reader);
            }
        }
        else
        {
            var state = default(EdifactReaderState);
            var start = 0;
            var end = 0;
            while (true)
            {
                end = Math.Min(data.Length, end + chunk);
                var final = end == data.Length;
                var reader = new EdifactReader(data.AsSpan(start, end - start), final, state);
                while (reader.Read())
                {
                    Check(ref reader);
                }
                state = reader.CurrentState;
                start += reader.BytesConsumed;
                if (final)
                {
                    break;
                }
            }
        }
        Assert.That(expected.MoveNext(), Is.False, $"the reader stopped after {count} tokens");
        Assert.That(count, Is.GreaterThan(2 * Many + Components));
    }

    /// <summary>Type and indexes of every token after the UNA, counted the plain way (no release characters).</summary>
    private static IEnumerable<(EdifactTokenType, int, int, int)> ReferenceIndexes(byte[] data, int unaLength)
    {
        yield return (EdifactTokenType.SegmentTag, 0, 0, 0);
        yield return (EdifactTokenType.Element, 1, 0, 0);
        yield return (EdifactTokenType.SegmentEnd, 1, 0, 0);
        var (element, component, repetition) = (0, 0, 0);
        var next = EdifactTokenType.SegmentTag;
        for (var i = unaLength; i < data.Length; i++)
        {
            switch ((char)data[i])
            {
                case '+':
                    yield return (next, element, component, repetition);
                    (next, element, component, repetition) = (EdifactTokenType.Element, element + 1, 0, 0);
                    break;
                case ':':
                    yield return (next, element, component, repetition);
                    (next, component) = (EdifactTokenType.Component, component + 1);
                    break;
                case '*':
                    yield return (next, element, component, repetition);
                    (next, repetition, component) = (EdifactTokenType.Repetition, repetition + 1, 0);
                    break;
                case '\'':
                    yield return (next, element, component, repetition);
                    yield return (EdifactTokenType.SegmentEnd, element, component, repetition);
                    (next, element, component, repetition) = (EdifactTokenType.SegmentTag, 0, 0, 0);
                    break;
            }
        }
    }

    /// <summary>The simplest possible tokenizer (default delimiters, syntax 3): values in order.</summary>
    private static List<string> ReferenceValues(byte[] data)
    {
        var values = new List<string>();
        var current = new StringBuilder();
        var atTag = true;
        for (var i = 0; i < data.Length; i++)
        {
            var b = (char)data[i];
            if (atTag && current.Length == 0 && b is '\r' or '\n' or ' ' or '\t')
            {
                continue;
            }
            if (b == '?')
            {
                if (i + 1 < data.Length)
                {
                    current.Append((char)data[++i]);
                    continue;
                }
                current.Append(b);
                continue;
            }
            if (b is ':' or '+' or '\'')
            {
                values.Add(current.ToString());
                current.Clear();
                atTag = false;
                if (b == '\'')
                {
                    values.Add("");
                    atTag = true;
                }
                continue;
            }
            current.Append(b);
        }
        if (current.Length > 0 || !atTag)
        {
            values.Add(current.ToString());
            values.Add("");
        }
        return values;
    }
}
