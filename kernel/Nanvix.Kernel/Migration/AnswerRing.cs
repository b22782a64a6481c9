using Nanvix.Kernel.Images;
namespace Nanvix.Kernel.Migration;

/// <summary>
/// The last answers a target gave (Done, Refused, Failed), by move, the oldest overwritten first: a manifest sent again
/// because its answer was lost is answered with the same message (a move answered long before is never asked again).
/// </summary>
internal sealed class AnswerRing(int limit)
{
    private readonly (MoveId Move, byte[] Message)[] _answers = new (MoveId, byte[])[limit];
    private int _next;

    /// <summary>Keeps <paramref name="message"/>, the answer about <paramref name="move"/>.</summary>
    public void Remember(MoveId move, ReadOnlySpan<byte> message)
    {
        _answers[_next] = (move, message.ToArray());
        _next = (_next + 1) % _answers.Length;
    }

    /// <summary>The answer kept about <paramref name="move"/>, or null.</summary>
    public byte[]? Find(MoveId move)
    {
        int answered = Array.FindIndex(_answers, a => a.Move == move && a.Message is not null);
        return answered >= 0 ? _answers[answered].Message : null;
    }
}
