using MessagePack;

namespace LifeOs.Benchmarks;

/// <summary>One SignalR message of the blazorpack protocol: its hub method (or kind) and its size on the wire.</summary>
internal readonly record struct HubFrameMessage(string Target, int Bytes);

/// <summary>
/// Splits a WebSocket's binary stream into blazorpack messages (SignalR's binary message format: a 7-bit
/// varint length, then a MessagePack array [type, headers, invocationId, target, arguments…]) and names each
/// by its hub method: JS.RenderBatch, JS.BeginInvokeJS, DispatchBrowserEvent, OnRenderCompleted, …
/// A message split over several frames is kept until its last byte arrives.
/// </summary>
internal sealed class BlazorPackFrames
{
    private const int InvocationMessage = 1;
    private const int CompletionMessage = 3;
    private const int PingMessage = 6;
    private const int CloseMessage = 7;
    private const byte RecordSeparator = 0x1e;

    private byte[] pending = [];

    /// <summary>Adds one frame's bytes and returns the messages it completed.</summary>
    public List<HubFrameMessage> Add(ReadOnlySpan<byte> frame)
    {
        // The handshake and its answer are JSON ending in the record separator, before any binary message.
        if (pending.Length == 0 && frame.Length > 0 && frame[0] == (byte)'{' && frame[^1] == RecordSeparator)
        {
            return [new HubFrameMessage("(handshake)", frame.Length)];
        }

        var buffer = pending.Length == 0 ? frame.ToArray() : [.. pending, .. frame];
        var messages = new List<HubFrameMessage>();
        var offset = 0;
        while (TryReadLength(buffer.AsSpan(offset), out var length, out var prefix) && buffer.Length - offset - prefix >= length)
        {
            var body = buffer.AsMemory(offset + prefix, length);
            messages.Add(new HubFrameMessage(NameOf(body), prefix + length));
            offset += prefix + length;
        }

        pending = buffer[offset..];
        return messages;
    }

    private static bool TryReadLength(ReadOnlySpan<byte> data, out int length, out int prefix)
    {
        length = 0;
        for (prefix = 0; prefix < Math.Min(data.Length, 5); prefix++)
        {
            var b = data[prefix];
            length |= (b & 0x7f) << (prefix * 7);
            if ((b & 0x80) == 0)
            {
                prefix++;
                return true;
            }
        }

        return false;
    }

    private static string NameOf(ReadOnlyMemory<byte> body)
    {
        try
        {
            var reader = new MessagePackReader(body);
            reader.ReadArrayHeader();
            var type = reader.ReadInt32();
            switch (type)
            {
                case InvocationMessage:
                    reader.Skip(); // headers
                    reader.Skip(); // invocation id, nil for a send
                    return reader.ReadString() ?? "(invocation)";
                case CompletionMessage:
                    return "(completion)";
                case PingMessage:
                    return "(ping)";
                case CloseMessage:
                    return "(close)";
                default:
                    return $"(message type {type})";
            }
        }
        catch (MessagePackSerializationException)
        {
            return "(unreadable)";
        }
    }
}
