using System.Globalization;
using System.Runtime.CompilerServices;
using CrossBorderHub.Edifact.Directory;

namespace CrossBorderHub.Edifact.Validation;

public sealed partial class EdifactValidator
{
    private sealed partial class Run
    {
        private bool RequireInterchange(RawSegment seg)
        {
            if (_state is State.Start or State.AfterUna)
            {
                Report(SyntaxError.Missing, $"{seg.Tag} before UNB: the interchange header UNB is missing");
                _state = State.InInterchange;
                return true;
            }
            if (_state == State.AfterUnz)
            {
                Report(SyntaxError.InvalidOccurrenceOutsideMessage, $"{seg.Tag} after UNZ: nothing may follow the interchange trailer");
                return false;
            }
            return true;
        }

        private void OnUng(RawSegment seg)
        {
            if (!RequireInterchange(seg))
            {
                return;
            }
            if (_state == State.InMessage)
            {
                Report(SyntaxError.Missing, $"UNT is missing: message {_messageReference} is not closed before UNG");
                EndMessage();
            }
            if (_state == State.InGroup)
            {
                Report(SyntaxError.Missing, $"UNE is missing: group {_groupReference} is not closed before UNG");
            }
            if (_sawMessagesOutsideGroup)
            {
                Report(SyntaxError.GroupsAndMessagesMixed, "functional groups and messages outside groups are mixed in one interchange");
            }
            _groupsInInterchange++;
            _groupIndex = Result.Groups.Count;
            _groupReference = seg.GetString(5, 0);
            _groupMessageType = null;
            _messagesInGroup = 0;
            Result.Groups.Add(new GroupSummary(_groupReference, seg.GetString(2, 0), seg.GetString(3, 0), seg.SegmentNumber));
            _state = State.InGroup;
            if (_service.Segments.TryGetValue("UNG", out var spec))
            {
                CheckElements(seg, spec, codes: false, null);
            }
        }

        private void OnUne(RawSegment seg)
        {
            if (!RequireInterchange(seg))
            {
                return;
            }
            if (_state == State.InMessage)
            {
                Report(SyntaxError.Missing, $"UNT is missing: message {_messageReference} is not closed before UNE");
                EndMessage();
            }
            if (_groupReference is null)
            {
                Report(SyntaxError.NotSupportedInPosition, "UNE without a matching UNG");
                return;
            }
            CheckCount(seg, 1, _messagesInGroup, "UNE 0060 number of messages");
            CheckReference(seg, 2, _groupReference, "UNE 0048 group reference", "UNG");
            if (_service.Segments.TryGetValue("UNE", out var spec))
            {
                CheckElements(seg, spec, codes: false, null);
            }
            if (_messagesInGroup == 0)
            {
                Report(SyntaxError.LowerLevelEmpty, $"group {_groupReference} contains no message");
            }
            _groupReference = null;
            _state = State.InInterchange;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void OnUnh(RawSegment seg)
        {
            if (!RequireInterchange(seg))
            {
                return;
            }
            if (_state == State.InMessage)
            {
                Report(SyntaxError.Missing, $"UNT is missing: message {_messageReference} is not closed before the next UNH");
                EndMessage();
            }
            if (_groupReference is null)
            {
                if (_groupsInInterchange > 0)
                {
                    Report(SyntaxError.GroupsAndMessagesMixed, "a message outside a functional group in an interchange that uses groups");
                }
                _sawMessagesOutsideGroup = true;
            }
            StartMessage(seg, structure: DirectoryLevel);
            _state = State.InMessage;
            _messagesInGroup++;
            if (_groupReference is not null)
            {
                var type = Result.Messages[^1].Type;
                if (_groupMessageType is null)
                {
                    _groupMessageType = type;
                }
                else if (_groupMessageType != type)
                {
                    Report(SyntaxError.MoreThanOneMessageTypeInGroup, $"group {_groupReference} holds {type} after {_groupMessageType}: one message type per group", 2, 1);
                }
            }
            CheckElements(seg, _service.Segments["UNH"], codes: false, null);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void StartMessage(RawSegment seg, bool structure)
        {
            _messagesInInterchange++;
            _messageIndex = Result.Messages.Count;
            _messageReference = _unhReference.Get(seg, 1, 0);
            var type = _unhType.Get(seg, 2, 0);
            var version = _unhVersion.Get(seg, 2, 1);
            var release = _unhRelease.Get(seg, 2, 2);
            Result.Messages.Add(new MessageSummary(_messageReference, type, version, release, _unhAgency.Get(seg, 2, 3),
                NullIfEmpty(_unhAssociation.Get(seg, 2, 4)), _groupReference is null ? -1 : _groupIndex, seg.SegmentNumber, seg.Offset));
            Result.MessageCount++;
            _findingsAtMessageStart = Result.Findings.Count;
            if (type.Length > 0 && (Result.Types.Count == 0 || Result.Types[^1] != type) && !Result.Types.Contains(type))
            {
                Result.Types.Add(type);
            }
            _segmentsInMessage = 1;
            _messageSpec = null;
            _directory = null;
            _structureLost = false;
            if (!structure)
            {
                return;
            }
            _state = State.InMessage;
            if (type == "CONTRL")
            {
                _messageSpec = _service.Contrl;
                _matcher.Start(_messageSpec);
                return;
            }
            if (!ReferenceEquals(version, _nameVersion) || !ReferenceEquals(release, _nameRelease))
            {
                (_nameVersion, _nameRelease, _name) = (version, release, version + release);
            }
            var name = _owner.DirectoryName(_name);
            // One lookup per directory name and run: Find checks the folder on disk.
            if (_lastDirectoryName != name)
            {
                _lastDirectoryName = name;
                _lastDirectory = _owner._directories?.Find(name);
            }
            _directory = _lastDirectory;
            if (_directory is null)
            {
                Report(SyntaxError.ValueNotSupportedInPosition,
                    $"directory {name} is not loaded: add its UNECE folder as schemas/edifact/{name.Replace(".", "", StringComparison.Ordinal).ToUpperInvariant()}", 2, 2);
                return;
            }
            if (CodesLevel)
            {
                _directory.AttachCodeLists();
            }
            _messageSpec = _directory.GetMessage(type);
            if (_messageSpec is null)
            {
                Report(SyntaxError.ValueNotSupportedInPosition, $"message type {type} is not defined in directory {_directory.Name}", 2, 1);
                return;
            }
            _matcher.Start(_messageSpec);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void OnUnt(RawSegment seg)
        {
            if (!RequireInterchange(seg))
            {
                return;
            }
            if (_state != State.InMessage)
            {
                Report(SyntaxError.NotSupportedInPosition, "UNT without a matching UNH");
                return;
            }
            _segmentsInMessage++;
            CheckCount(seg, 1, _segmentsInMessage, "UNT 0074 number of segments (UNH and UNT included)");
            if (!_unhReference.Matches(seg, 2, 0))
            {
                CheckReference(seg, 2, _messageReference, "UNT 0062 message reference", "UNH");
            }
            CheckElements(seg, _service.Segments["UNT"], codes: false, null);
            if (_messageSpec is not null && !_structureLost)
            {
                _matcher.End(_reportStructure ??= (code, _, message) => Report(code, message));
            }
            EndMessage();
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void EndMessage()
        {
            ForgetMessageWithoutFindings();
            _messageSpec = null;
            _state = _groupReference is null ? State.InInterchange : State.InGroup;
        }

        /// <summary>
        /// Past the first summaries, a message without a kept finding is forgotten: memory stays flat on huge files.
        /// Also once the findings are truncated: the CONTRL then rejects the interchange and lists the messages whose
        /// findings it knows (before, every later message was kept: ~1 M summaries, hundreds of MB, on a bad 1 GB file).
        /// </summary>
        private void ForgetMessageWithoutFindings()
        {
            if (Result.Messages.Count > MaxMessageSummaries && Result.Findings.Count == _findingsAtMessageStart
                && _messageIndex == Result.Messages.Count - 1)
            {
                Result.Messages.RemoveAt(_messageIndex);
            }
        }

        private void OnUnz(RawSegment seg)
        {
            if (!RequireInterchange(seg))
            {
                return;
            }
            if (_state == State.InMessage)
            {
                Report(SyntaxError.Missing, $"UNT is missing: message {_messageReference} is not closed before UNZ");
                EndMessage();
            }
            if (_state == State.InGroup)
            {
                Report(SyntaxError.Missing, $"UNE is missing: group {_groupReference} is not closed before UNZ");
                _groupReference = null;
            }
            // A chunk that ends the interchange counts the messages of the chunks before it too.
            var messages = _messagesInInterchange + (Chunk?.MessagesBefore() ?? 0);
            var expected = _groupsInInterchange > 0 ? _groupsInInterchange : messages;
            CheckCount(seg, 1, expected, _groupsInInterchange > 0 ? "UNZ 0036 number of groups" : "UNZ 0036 number of messages");
            if (Result.HasUnb)
            {
                CheckReference(seg, 2, Result.ControlReference ?? "", "UNZ 0020 interchange control reference", "UNB");
            }
            CheckElements(seg, _service.Segments["UNZ"], codes: false, null);
            if (messages == 0)
            {
                Report(SyntaxError.LowerLevelEmpty, "the interchange contains no message");
            }
            _state = State.AfterUnz;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void CheckCount(RawSegment seg, int element, int actual, string what)
        {
            var value = seg.Find(element, 0);
            // The common case without a string: plain digits that say the right count.
            if (value is { HasRelease: false } digits && int.TryParse(seg.Buffer.Slice(digits.Start, digits.Length), NumberStyles.None,
                CultureInfo.InvariantCulture, out var counted) && counted == actual)
            {
                return;
            }
            var text = seg.GetString(element, 0);
            if (value is null || text.Length == 0)
            {
                return; // mandatory check reports it
            }
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var declared) || declared != actual)
            {
                ReportAt(value.Value, SyntaxError.ControlCountDoesNotMatch, $"{what} says {text} but {actual} were counted");
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void CheckReference(RawSegment seg, int element, string expected, string what, string header)
        {
            var value = seg.Find(element, 0);
            var text = seg.GetString(element, 0);
            if (value is null || text.Length == 0)
            {
                return;
            }
            if (text != expected)
            {
                ReportAt(value.Value, SyntaxError.ReferencesDoNotMatch, $"{what} '{text}' does not match {header} '{expected}'");
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void OnDataSegment(RawSegment seg)
        {
            if (_state != State.InMessage)
            {
                if (_state is State.Start or State.AfterUna)
                {
                    Report(SyntaxError.Missing, $"{seg.Tag} before UNB: the interchange header UNB is missing");
                    _state = State.InInterchange;
                }
                else
                {
                    Report(SyntaxError.InvalidOccurrenceOutsideMessage, $"segment {seg.Tag} outside a message (no open UNH)");
                }
                return;
            }
            _segmentsInMessage++;
            if (_messageSpec is null || !DirectoryLevel)
            {
                return;
            }
            var key = TagKey.Of(seg.TagSpan);
            if (!_structureLost && !_matcher.Match(key, _reportStructure ??= (code, _, message) => Report(code, message)))
            {
                Report(SyntaxError.NotSupportedInPosition, $"segment {seg.Tag} is not expected here in {_messageSpec.Type}");
            }
            var spec = _directory?.FindSegment(key) ?? _service.ByKey.GetValueOrDefault(key);
            if (spec is not null)
            {
                CheckElements(seg, spec, CodesLevel && _directory is not null, _directory);
            }
        }

        private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;
    }
}
