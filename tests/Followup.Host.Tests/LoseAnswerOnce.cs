namespace Followup.Host.Tests;

/// <summary>Loses the answer to the first POST (the provider has the message; the sender never hears so).</summary>
internal sealed class LoseAnswerOnce : DelegatingHandler
{
    private int _lost;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (request.Method == HttpMethod.Post && Interlocked.Exchange(ref _lost, 1) == 0)
            throw new HttpRequestException("The connection was reset after the request was sent.");
        return response;
    }
}
