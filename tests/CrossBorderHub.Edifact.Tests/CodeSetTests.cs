using CrossBorderHub.Edifact.Directory;

namespace CrossBorderHub.Edifact.Tests;

public class CodeSetTests
{
    [Test]
    public void Codes_of_every_length_are_found_and_near_misses_are_not()
    {
        // Up to 7 bytes a code is packed in a word under its length; longer codes
        // go to a string set. Every length, and every one-byte change of every code, must be told apart.
        var codes = new[] { "1", "Z9", "ABC", "9999", "AB1CD", "X1Y2Z3", "1234567", "12345678", "LONGER-CODE" };
        var set = new CodeSet(codes);
        Assert.That(set.Count, Is.EqualTo(codes.Length));
        foreach (var code in codes)
        {
            var bytes = Encoding.ASCII.GetBytes(code);
            Assert.That(set.Contains(bytes), Is.True, code);
            for (var i = 0; i < bytes.Length; i++)
            {
                var changed = (byte[])bytes.Clone();
                changed[i] = (byte)(changed[i] == (byte)'Q' ? 'R' : 'Q');
                Assert.That(set.Contains(changed), Is.False, $"{code} with byte {i} changed");
            }
            Assert.That(set.Contains(bytes.AsSpan(0, bytes.Length - 1)), Is.EqualTo(codes.Contains(code[..^1])), $"{code} without its last byte");
            Assert.That(set.Contains([.. bytes, (byte)'0']), Is.False, $"{code} and one more byte");
        }
        Assert.That(set.Contains([]), Is.False);
    }

    [Test]
    public void A_value_inside_a_larger_buffer_is_read_within_its_own_bounds()
    {
        var set = new CodeSet(["AB", "ABCDE"]);
        var buffer = Encoding.ASCII.GetBytes("xABCDEFy");
        Assert.That(set.Contains(buffer.AsSpan(1, 2)), Is.True);
        Assert.That(set.Contains(buffer.AsSpan(1, 5)), Is.True);
        Assert.That(set.Contains(buffer.AsSpan(1, 3)), Is.False);
        Assert.That(set.Contains(buffer.AsSpan(1, 6)), Is.False);
    }
}
