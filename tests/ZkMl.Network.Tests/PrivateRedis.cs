using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ZkMl.Network.Tests;

/// <summary>
/// A redis-server of the test's own (free port, temp directory, append-only with fsync always), so a test can kill and
/// restart its store without touching the CI one (ZKML_REDIS).
/// </summary>
public sealed class PrivateRedis : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("zkml-redis-").FullName;
    private readonly int _port;
    private Process? _server;

    private PrivateRedis(int port) => _port = port;

    public string Config => $"127.0.0.1:{_port}";

    public static async Task<PrivateRedis> StartAsync()
    {
        var redis = new PrivateRedis(FreePort());
        await redis.RestartAsync();
        return redis;
    }

    /// <summary>SIGKILL: no shutdown save, only what the append-only file already holds survives.</summary>
    public async Task KillAsync()
    {
        if (_server is null) return;
        _server.Kill(entireProcessTree: true);
        await _server.WaitForExitAsync();
        _server.Dispose();
        _server = null;
    }

    /// <summary>Starts the server on the same port and directory (it reloads its append-only file); returns once it accepts connections.</summary>
    public async Task RestartAsync()
    {
        _server = Process.Start(new ProcessStartInfo("redis-server",
            $"--port {_port} --bind 127.0.0.1 --dir \"{_dir}\" --appendonly yes --appendfsync always --save \"\" --logfile redis.log")
        { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException("redis-server did not start.");
        var stop = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, _port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < stop) { await Task.Delay(100); }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
