namespace Remediators.Core.Hosting;

/// <summary>One Lambda function's handler: raw event bytes in, JSON response bytes out.</summary>
public interface IInvocationHandler
{
    Task<byte[]> HandleAsync(ReadOnlyMemory<byte> payload, InvocationContext context, CancellationToken cancellationToken);
}
