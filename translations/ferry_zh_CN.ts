<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ferry</name>
    <message>
        <source>queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <source>downloading</source>
        <translation>下载中</translation>
    </message>
    <message>
        <source>verifying</source>
        <translation>校验中</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>A checksum must look like sha256=&lt;hex digits&gt;.</source>
        <translation>校验值的格式应为 sha256=&lt;十六进制数字&gt;。</translation>
    </message>
    <message>
        <source>Unknown checksum algorithm &quot;%1&quot;; use md5, sha1, sha256 or sha512.</source>
        <translation>未知的校验算法“%1”，请使用 md5、sha1、sha256 或 sha512。</translation>
    </message>
    <message>
        <source>%1 checksum may contain only hex digits (0-9, a-f), found &quot;%2&quot;.</source>
        <translation>%1 校验值只能包含十六进制数字（0-9、a-f），但发现了“%2”。</translation>
    </message>
    <message>
        <source>%1 checksum must be %2 hex digits, got %3.</source>
        <translation>%1 校验值应为 %2 位十六进制数字，实际为 %3 位。</translation>
    </message>
    <message>
        <source>short read</source>
        <translation>读取不完整</translation>
    </message>
</context>
<context>
    <name>ferry::AddressCheck</name>
    <message>
        <source>The new address does not work: %1</source>
        <translation>新地址无法使用：%1</translation>
    </message>
    <message>
        <source>The new address does not say how large its file is, so it cannot be compared with this download.</source>
        <translation>新地址没有给出文件大小，无法与此下载比较。</translation>
    </message>
    <message>
        <source>Not the same file: the size differs (%1 bytes at the new address, %2 bytes in this download).</source>
        <translation>不是同一文件：大小不同（新地址为 %1 字节，此下载为 %2 字节）。</translation>
    </message>
    <message>
        <source>Not the same file: the ETag differs (%1 at the new address, %2 in this download).</source>
        <translation>不是同一文件：ETag 不同（新地址为 %1，此下载为 %2）。</translation>
    </message>
    <message>
        <source>Not the same file: Last-Modified differs (%1 at the new address, %2 in this download).</source>
        <translation>不是同一文件：Last-Modified 不同（新地址为 %1，此下载为 %2）。</translation>
    </message>
    <message>
        <source>The new address does not serve byte ranges, so the download could not go on from where it stopped.</source>
        <translation>新地址不支持按字节范围下载，下载无法从中断处继续。</translation>
    </message>
    <message>
        <source>%1, so the download could not go on from where it stopped.</source>
        <translation>%1，下载无法从中断处继续。</translation>
    </message>
    <message>
        <source>Not the same file: the bytes at offset %1 differ.</source>
        <translation>不是同一文件：偏移量 %1 处的字节不同。</translation>
    </message>
    <message>
        <source>The new address could not be compared with the bytes already downloaded: %1.</source>
        <translation>无法将新地址与已下载的字节进行比较：%1。</translation>
    </message>
</context>
<context>
    <name>ferry::ArchiveUnpacker</name>
    <message>
        <source>Removed the unfinished extraction “%1” to start it again.</source>
        <translation>已删除未完成的解压“%1”，重新开始解压。</translation>
    </message>
    <message>
        <source>The unfinished extraction “%1” could not be removed; starting anew beside it.</source>
        <translation>无法删除未完成的解压“%1”；在它旁边重新开始。</translation>
    </message>
</context>
<context>
    <name>ferry::Connection</name>
    <message>
        <source>Internal error: a whole-file request cannot continue at an offset.</source>
        <translation>内部错误：整文件请求无法从中间位置继续。</translation>
    </message>
    <message>
        <source>The server redirected too many times (more than 10).</source>
        <translation>服务器重定向次数过多（超过 10 次）。</translation>
    </message>
    <message>
        <source>The server redirected to an address that cannot be downloaded: %1</source>
        <translation>服务器重定向到了无法下载的地址：%1</translation>
    </message>
    <message>
        <source>The server redirected from HTTPS to plain HTTP; the redirect was refused.</source>
        <translation>服务器试图从 HTTPS 重定向到不加密的 HTTP，已拒绝该重定向。</translation>
    </message>
    <message>
        <source>The server refused to send the file from its first byte (416 Range Not Satisfiable).</source>
        <translation>服务器拒绝从文件开头发送数据（416 Range Not Satisfiable）。</translation>
    </message>
    <message>
        <source>The server answered the first request with an unusable Content-Range (%1).</source>
        <translation>服务器对首个请求返回了无法使用的 Content-Range（%1）。</translation>
    </message>
    <message>
        <source>The file changed on the server.</source>
        <translation>服务器上的文件已更改。</translation>
    </message>
    <message>
        <source>The server ignored the requested byte range.</source>
        <translation>服务器忽略了请求的字节范围。</translation>
    </message>
    <message>
        <source>Unexpected HTTP status %1 for a byte range.</source>
        <translation>请求字节范围时收到意外的 HTTP 状态码 %1。</translation>
    </message>
    <message>
        <source>The file changed on the server (its size is now %1 bytes).</source>
        <translation>服务器上的文件已更改（现在大小为 %1 字节）。</translation>
    </message>
    <message>
        <source>The server sent bytes %1 instead of the requested %2-%3; nothing of it was written.</source>
        <translation>服务器发送的是字节 %1，而不是请求的 %2-%3，这些数据均未写入。</translation>
    </message>
    <message>
        <source>(no Content-Range)</source>
        <translation>（无 Content-Range）</translation>
    </message>
    <message>
        <source>Unexpected HTTP status %1.</source>
        <translation>意外的 HTTP 状态码 %1。</translation>
    </message>
    <message>
        <source>The connection broke before the end of a file of unknown length.</source>
        <translation>文件大小未知，连接在文件结束前中断。</translation>
    </message>
    <message>
        <source>The connection closed before the range was complete.</source>
        <translation>该分段尚未下载完，连接就已关闭。</translation>
    </message>
    <message>
        <source>The server is busy (%1 %2); retrying later with fewer connections.</source>
        <translation>服务器繁忙（%1 %2），稍后将以较少的连接数重试。</translation>
    </message>
    <message>
        <source>The file on the server is shorter than before; it has changed.</source>
        <translation>服务器上的文件比之前短，说明文件已更改。</translation>
    </message>
    <message>
        <source>The server no longer has this file (%1 %2). The URL may have expired.</source>
        <translation>服务器上已没有此文件（%1 %2），链接可能已失效。</translation>
    </message>
    <message>
        <source>The server refused access (%1 %2). Check the credentials or whether the link expired.</source>
        <translation>服务器拒绝访问（%1 %2）。请检查登录凭据，或确认链接是否已过期。</translation>
    </message>
    <message>
        <source>The server had a problem (%1 %2).</source>
        <translation>服务器出现问题（%1 %2）。</translation>
    </message>
    <message>
        <source>The server refused the request (%1 %2).</source>
        <translation>服务器拒绝了请求（%1 %2）。</translation>
    </message>
    <message>
        <source>No data arrived for %1 seconds; reconnecting.</source>
        <translation>已有 %1 秒未收到数据，正在重新连接。</translation>
    </message>
    <message>
        <source>The secure connection failed: %1</source>
        <translation>安全连接失败：%1</translation>
    </message>
    <message>
        <source>The host %1 could not be found.</source>
        <translation>找不到主机 %1。</translation>
    </message>
    <message>
        <source>This kind of address cannot be downloaded: %1</source>
        <translation>不支持下载此类地址：%1</translation>
    </message>
    <message>
        <source>The server compresses byte ranges (Content-Encoding: %1)</source>
        <translation>服务器会压缩字节范围（Content-Encoding: %1）</translation>
    </message>
    <message>
        <source>The server sends byte ranges of another length than they claim (%1 bytes for %2)</source>
        <translation>服务器发送的字节范围长度与其声明不符（%2 却有 %1 字节）</translation>
    </message>
    <message>
        <source>The server answered a byte range with the whole file, although the file is unchanged.</source>
        <translation>服务器对字节范围请求返回了整个文件，尽管文件并未改变。</translation>
    </message>
    <message>
        <source>The server compressed the byte range %1-%2 (Content-Encoding: %3); nothing of it was written.</source>
        <translation>服务器压缩了字节范围 %1-%2（Content-Encoding: %3）；其内容未写入任何字节。</translation>
    </message>
    <message>
        <source>The server sent %1 bytes for the %2 bytes of the range %3-%4; nothing of it was written.</source>
        <translation>服务器为范围 %3-%4 的 %2 字节发送了 %1 字节；其内容未写入任何字节。</translation>
    </message>
    <message>
        <source>The server&apos;s answer to a byte range names no ETag or Last-Modified to tell it from another version of the file; nothing of it was written.</source>
        <translation>服务器对字节范围的应答没有 ETag 或 Last-Modified，无法与文件的其他版本区分；其内容未写入任何字节。</translation>
    </message>
    <message>
        <source>The server sends this file only compressed (Content-Encoding: %1): %2 bytes instead of the %3 it announced. Nothing of it was written.</source>
        <translation>服务器只以压缩形式发送此文件（Content-Encoding: %1）：%2 字节，而不是它声明的 %3 字节。未写入任何内容。</translation>
    </message>
    <message>
        <source>The archive on the server is shorter than when its contents were listed (416 Range Not Satisfiable): it changed; list its contents again.</source>
        <translation>服务器上的压缩包比列出内容时短（416 Range Not Satisfiable）：它已改变；请重新显示其内容。</translation>
    </message>
</context>
<context>
    <name>ferry::DormantJob</name>
    <message>
        <source>This kind of transfer cannot run here; open it in the Ferry window.</source>
        <translation>此类传输无法在这里运行，请在 Ferry 窗口中打开。</translation>
    </message>
</context>
<context>
    <name>ferry::DownloadJob</name>
    <message>
        <source>Another Ferry process (pid %1) is running this download.</source>
        <translation>另一个 Ferry 进程（PID %1）正在下载此任务。</translation>
    </message>
    <message>
        <source>Waiting for the credentials of this S3 account: open the account, then resume.</source>
        <translation>正在等待此 S3 账户的访问密钥：请打开该账户，然后继续下载。</translation>
    </message>
    <message>
        <source>Finished just before Ferry was interrupted.</source>
        <translation>在 Ferry 意外中断前已下载完成。</translation>
    </message>
    <message>
        <source>The server does not support resuming; the download starts over.</source>
        <translation>服务器不支持断点续传，将从头开始下载。</translation>
    </message>
    <message>
        <source>The partial file %1 is gone; the download starts over.</source>
        <translation>未完成的文件 %1 已不存在，将从头开始下载。</translation>
    </message>
    <message>
        <source>Cannot write %1: %2.</source>
        <translation>无法写入 %1：%2。</translation>
    </message>
    <message>
        <source>the folder does not exist</source>
        <translation>文件夹不存在</translation>
    </message>
    <message>
        <source>The file behind the address has changed. Starting over from zero.</source>
        <translation>该地址对应的文件已更改，将从头开始下载。</translation>
    </message>
    <message>
        <source>The server gives no ETag or Last-Modified to tell versions apart: one connection, and an interrupted download starts over.</source>
        <translation>服务器未提供 ETag 或 Last-Modified，无法区分文件版本：只使用单个连接，下载中断后需从头开始。</translation>
    </message>
    <message>
        <source>The server does not support resuming: one connection, and an interrupted download starts over.</source>
        <translation>服务器不支持断点续传：只使用单个连接，下载中断后需从头开始。</translation>
    </message>
    <message>
        <source>%1 Asking the original address for a fresh link.</source>
        <translation>%1 正在向原始地址请求新的链接。</translation>
    </message>
    <message>
        <source>Cannot write %1: %2. Nothing already downloaded is lost; resume when this is fixed.</source>
        <translation>无法写入 %1：%2。已下载的数据不会丢失，问题解决后可继续下载。</translation>
    </message>
    <message>
        <source>%1 Gave up after %2 attempts.</source>
        <translation>%1 已尝试 %2 次，放弃下载。</translation>
    </message>
    <message>
        <source>%1 Retrying in %2 s.</source>
        <translation>%1 %2 秒后重试。</translation>
    </message>
    <message>
        <source>%1 The download was stopped so that no file mixes two versions; add it again to start over.</source>
        <translation>%1 为避免文件混入两个版本的内容，下载已停止；请重新添加以从头下载。</translation>
    </message>
    <message>
        <source>%1 It kept changing; gave up after %2 restarts.</source>
        <translation>%1 文件不断变化，已重新开始 %2 次，放弃下载。</translation>
    </message>
    <message>
        <source>%1 Starting over from zero.</source>
        <translation>%1 将从头开始下载。</translation>
    </message>
    <message>
        <source>Cannot flush %1 to the disk. Nothing already downloaded is lost; resume when this is fixed.</source>
        <translation>无法将 %1 写入磁盘。已下载的数据不会丢失，问题解决后可继续下载。</translation>
    </message>
    <message>
        <source>Could not rename %1 to its final name: %2.</source>
        <translation>无法将 %1 重命名为最终文件名：%2。</translation>
    </message>
    <message>
        <source>Retrying</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>The server does not support resuming.</source>
        <translation>服务器不支持断点续传。</translation>
    </message>
    <message>
        <source>%1: one plain stream instead, and an interrupted download starts over.</source>
        <translation>%1：改为单一普通数据流，中断的下载将从头开始。</translation>
    </message>
    <message>
        <source>%1 The server does not evaluate If-Range; ranges go on without it, each checked by its ETag or Last-Modified.</source>
        <translation>%1 服务器不处理 If-Range；后续范围请求不再携带它，每个应答都按其 ETag 或 Last-Modified 校验。</translation>
    </message>
    <message>
        <source>%1 is no longer this download&apos;s partial file: a link or another file has its name. It is left untouched; the download starts over under a free name.</source>
        <translation>%1 已不再是此下载的临时文件：该名称被一个链接或其他文件占用。它不会被改动；下载将以一个空闲的名称从头开始。</translation>
    </message>
    <message>
        <source>Waiting for a free connection to %1 (%2 in use).</source>
        <translation>正在等待到 %1 的空闲连接（已用 %2 个）。</translation>
    </message>
    <message>
        <source>%1 could not be moved to the trash (%2); the file was kept.</source>
        <translation>无法将 %1 移到回收站（%2）；文件已保留。</translation>
    </message>
    <message>
        <source>Address changed to %1.</source>
        <translation>地址已更改为 %1。</translation>
    </message>
    <message>
        <source>This download needs its credentials again (the system keychain does not have them): add the URL again with the same headers.</source>
        <translation>此下载需要重新提供登录信息（系统钥匙串中没有）：请用相同的请求头重新添加该链接。</translation>
    </message>
    <message>
        <source>The archive changed on the server since its contents were listed, so “%1” was not taken from it; list the archive&apos;s contents again.</source>
        <translation>列出内容之后，服务器上的压缩包已经改变，因此没有从中取出“%1”；请重新显示压缩包的内容。</translation>
    </message>
    <message>
        <source>The server no longer sends parts of the archive (byte ranges), so “%1” cannot be downloaded on its own.</source>
        <translation>服务器不再发送压缩包的部分内容（字节范围），因此无法单独下载“%1”。</translation>
    </message>
    <message>
        <source>The server gives no ETag or Last-Modified to tell versions of the archive apart: only a change of its size is noticed while downloading, and a changed archive shows when the entry&apos;s CRC-32 is checked.</source>
        <translation>服务器没有提供用于区分压缩包版本的 ETag 或 Last-Modified：下载期间只能发现其大小的变化，压缩包是否改变要在校验条目的 CRC-32 时才能发现。</translation>
    </message>
    <message>
        <source>The archive may have changed on the server since its contents were listed: list its contents again. What was downloaded of the entry was dropped; resuming downloads it again.</source>
        <translation>列出内容之后，服务器上的压缩包可能已经改变：请重新显示其内容。该条目已下载的部分已丢弃；继续下载会重新获取。</translation>
    </message>
</context>
<context>
    <name>ferry::DownloadList</name>
    <message>
        <source>entry %1: not an http or https address</source>
        <translation>第 %1 项：不是 http 或 https 地址</translation>
    </message>
    <message>
        <source>line %1: not an http or https address</source>
        <translation>第 %1 行：不是 http 或 https 地址</translation>
    </message>
    <message>
        <source>entry %1: not a download</source>
        <translation>第 %1 项：不是下载</translation>
    </message>
</context>
<context>
    <name>ferry::DownloadManager</name>
    <message>
        <source>Cannot create the state folder %1.</source>
        <translation>无法创建数据文件夹 %1。</translation>
    </message>
    <message>
        <source>This kind of transfer is not available here.</source>
        <translation>此处不支持这类传输。</translation>
    </message>
    <message>
        <source>Could not record the transfer in %1.</source>
        <translation>无法在 %1 中记录此传输任务。</translation>
    </message>
    <message>
        <source>Not a downloadable address: %1 (only http and https URLs).</source>
        <translation>不是可下载的地址：%1（仅支持 http 和 https 链接）。</translation>
    </message>
    <message>
        <source>The folder %1 does not exist.</source>
        <translation>文件夹 %1 不存在。</translation>
    </message>
    <message>
        <source>The folder %1 is not writable (permission denied).</source>
        <translation>文件夹 %1 不可写（权限不足）。</translation>
    </message>
    <message>
        <source>Connections must be between 1 and 32, got %1.</source>
        <translation>连接数必须在 1 到 32 之间，当前为 %1。</translation>
    </message>
    <message>
        <source>Could not record the download in %1.</source>
        <translation>无法在 %1 中记录此下载。</translation>
    </message>
    <message>
        <source>Another Ferry process (pid %1) is running this download; change its address there.</source>
        <translation>另一个 Ferry 进程（pid %1）正在运行此下载，请在那里更改地址。</translation>
    </message>
    <message>
        <source>Only downloads over HTTP can change their address.</source>
        <translation>只有通过 HTTP 的下载可以更改地址。</translation>
    </message>
    <message>
        <source>This download is no longer in the list.</source>
        <translation>此下载已不在列表中。</translation>
    </message>
    <message>
        <source>An S3 object is fetched through its account; its address cannot be changed.</source>
        <translation>S3 对象通过其账户获取，无法更改地址。</translation>
    </message>
    <message>
        <source>A new address for this download is being checked already.</source>
        <translation>已在检查此下载的新地址。</translation>
    </message>
    <message>
        <source>This download is finished; a finished download keeps its address.</source>
        <translation>此下载已完成，已完成的下载不能更改地址。</translation>
    </message>
    <message>
        <source>The size of this download is not known, so no other address can be compared with it.</source>
        <translation>此下载的大小未知，无法与其他地址比较。</translation>
    </message>
    <message>
        <source>The download finished meanwhile; its address was not changed.</source>
        <translation>下载已在此期间完成，地址未更改。</translation>
    </message>
    <message>
        <source>The download started over meanwhile; its address was not changed. Try again.</source>
        <translation>下载已在此期间重新开始，地址未更改。请重试。</translation>
    </message>
    <message>
        <source>Another Ferry process (%1) is unpacking this archive.</source>
        <translation>另一个 Ferry 进程（%1）正在解压这个压缩包。</translation>
    </message>
    <message>
        <source>Extracted into “%1” just before Ferry was interrupted.</source>
        <translation>在 Ferry 中断之前已解压到“%1”。</translation>
    </message>
    <message>
        <source>The unfinished extraction “%1” could not be removed; starting anew beside it.</source>
        <translation>无法删除未完成的解压“%1”；在它旁边重新开始。</translation>
    </message>
    <message>
        <source>Not extracted: the file “%1” is no longer there.</source>
        <translation>未解压：文件“%1”已不存在。</translation>
    </message>
    <message>
        <source>Unpacking “%1” into a hidden folder until it is complete.</source>
        <translation>正在把“%1”解压到一个隐藏文件夹，完成后再显示。</translation>
    </message>
    <message>
        <source>Not extracted: “%1” is not a ZIP archive.</source>
        <translation>未解压：“%1”不是 ZIP 压缩包。</translation>
    </message>
    <message>
        <source>Extraction stopped; it starts again when the download is resumed.</source>
        <translation>解压已停止；继续下载时会重新开始。</translation>
    </message>
    <message>
        <source>Not extracted: %1 The archive is kept.</source>
        <translation>未解压：%1 压缩包已保留。</translation>
    </message>
    <message>
        <source>Not extracted: the folder “%1” could not be renamed to its final name. The archive is kept.</source>
        <translation>未解压：无法把文件夹“%1”改为最终名称。压缩包已保留。</translation>
    </message>
    <message numerus="yes">
        <source>Extracted %n file(s) into “%1”.</source>
        <translation>
            <numerusform>已解压 %n 个文件到“%1”。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Extracted %n file(s) into “%1”; some entries were left out (see the log).</source>
        <translation>
            <numerusform>已解压 %n 个文件到“%1”；有些条目未解压（见日志）。</numerusform>
        </translation>
    </message>
    <message>
        <source>“%1” is kept, not moved to the trash: some of its entries were not extracted.</source>
        <translation>“%1”已保留，未移到回收站：其中有些条目没有解压。</translation>
    </message>
    <message>
        <source>Moved “%1” to the trash.</source>
        <translation>已将“%1”移到回收站。</translation>
    </message>
    <message>
        <source>“%1” could not be moved to the trash (there is none for its folder); it is kept.</source>
        <translation>无法将“%1”移到回收站（它所在的文件夹没有回收站）；已保留。</translation>
    </message>
    <message>
        <source>Not extracted: “%1” is no longer the file Ferry downloaded (another file has taken its name). It is left untouched.</source>
        <translation>未解压：“%1”已不是 Ferry 下载的那个文件（另一个文件占用了它的名称）。未作改动。</translation>
    </message>
    <message>
        <source>“%1” is not moved to the trash: it is no longer the file Ferry downloaded (another file has taken its name).</source>
        <translation>“%1”未移到回收站：它已不是 Ferry 下载的那个文件（另一个文件占用了它的名称）。</translation>
    </message>
    <message numerus="yes">
        <source>Waiting to unpack: %n other archive(s) are being unpacked.</source>
        <translation>
            <numerusform>等待解压：另有 %n 个压缩包正在解压。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ferry::Finisher</name>
    <message>
        <source>The finished file has %1 bytes, but the server announced %2.</source>
        <translation>下载完成的文件为 %1 字节，但服务器声明的大小为 %2 字节。</translation>
    </message>
    <message>
        <source>The %1 checksum does not match: expected %2, got %3. The file was kept as %4.</source>
        <translation>%1 校验值不匹配：应为 %2，实际为 %3。文件已保留为 %4。</translation>
    </message>
    <message>
        <source>no free file name is left for %1</source>
        <translation>%1 已没有可用的文件名</translation>
    </message>
    <message>
        <source>%1 is no longer this download&apos;s file (a link or another file has its name)</source>
        <translation>%1 已不再是此下载的文件（该名称被一个链接或其他文件占用）</translation>
    </message>
</context>
<context>
    <name>ferry::Logind</name>
    <message>
        <source>The system does not allow this user to do it.</source>
        <translation>系统不允许当前用户执行此操作。</translation>
    </message>
    <message>
        <source>This machine cannot do it.</source>
        <translation>这台计算机不支持此操作。</translation>
    </message>
    <message>
        <source>Asking the system whether this is possible…</source>
        <translation>正在询问系统是否可以执行…</translation>
    </message>
    <message>
        <source>The system&apos;s login manager (logind) did not answer.</source>
        <translation>系统的登录管理器（logind）没有响应。</translation>
    </message>
    <message>
        <source>The computer could not be suspended: %1</source>
        <translation>无法使计算机睡眠：%1</translation>
    </message>
    <message>
        <source>The computer could not be powered off: %1</source>
        <translation>无法关闭计算机：%1</translation>
    </message>
</context>
<context>
    <name>ferry::PartFile</name>
    <message>
        <source>the disk is full</source>
        <translation>磁盘已满</translation>
    </message>
    <message>
        <source>permission denied</source>
        <translation>权限不足</translation>
    </message>
    <message>
        <source>the folder does not exist</source>
        <translation>文件夹不存在</translation>
    </message>
    <message>
        <source>the disk is read-only</source>
        <translation>磁盘为只读</translation>
    </message>
    <message>
        <source>it is a symbolic link, which Ferry never follows</source>
        <translation>它是一个符号链接，Ferry 从不跟随符号链接</translation>
    </message>
    <message>
        <source>the partial file is gone</source>
        <translation>临时文件已不存在</translation>
    </message>
    <message>
        <source>it is not a regular file</source>
        <translation>它不是普通文件</translation>
    </message>
    <message>
        <source>another file has taken its place, and it is left untouched</source>
        <translation>另一个文件占据了它的位置，该文件不会被改动</translation>
    </message>
    <message>
        <source>no free file name is left for %1</source>
        <translation>已没有可用于 %1 的空闲文件名</translation>
    </message>
    <message>
        <source>no trash is available for this folder</source>
        <translation>此文件夹没有可用的回收站</translation>
    </message>
</context>
<context>
    <name>ferry::RangeSampler</name>
    <message>
        <source>the partial file %1 is gone</source>
        <translation>部分文件 %1 已不存在</translation>
    </message>
    <message>
        <source>the server answered a byte range with HTTP status %1</source>
        <translation>服务器对字节范围请求返回了 HTTP 状态 %1</translation>
    </message>
    <message>
        <source>the server sent other bytes than the range asked for (%1)</source>
        <translation>服务器发送的字节与请求的范围不符（%1）</translation>
    </message>
    <message>
        <source>the byte range at offset %1 did not arrive whole</source>
        <translation>偏移量 %1 处的字节范围未完整接收</translation>
    </message>
    <message>
        <source>the partial file %1 could not be read</source>
        <translation>无法读取部分文件 %1</translation>
    </message>
</context>
<context>
    <name>ferry::S3Transfers</name>
    <message>
        <source>The S3 account is not open.</source>
        <translation>S3 账户未打开。</translation>
    </message>
    <message>
        <source>Cannot create the folder %1.</source>
        <translation>无法创建文件夹 %1。</translation>
    </message>
    <message>
        <source>The S3 account was closed.</source>
        <translation>S3 账户已关闭。</translation>
    </message>
    <message>
        <source>%1 does not exist.</source>
        <translation>%1 不存在。</translation>
    </message>
    <message>
        <source>Nothing is selected to bundle.</source>
        <translation>没有选择要打包的内容。</translation>
    </message>
    <message>
        <source>A share link can be valid for at most 7 days.</source>
        <translation>分享链接的有效期最长为 7 天。</translation>
    </message>
</context>
<context>
    <name>ferry::Scheduler</name>
    <message>
        <source>The scheduled start at %1 was missed while Ferry was not running; the queue starts now.</source>
        <translation>Ferry 未运行时错过了 %1 的计划开始时间；队列现在开始。</translation>
    </message>
</context>
<context>
    <name>ferry::SecretVault</name>
    <message>
        <source>No system keychain: logins of downloads are kept for this session only; after a restart such downloads ask for them again.</source>
        <translation>没有系统钥匙串：下载的登录信息只在本次运行期间保留；重启后这些下载会再次要求提供。</translation>
    </message>
</context>
<context>
    <name>ferry::Storage</name>
    <message>
        <source>The state database %1 was written by a newer Ferry (schema %2).</source>
        <translation>数据库 %1 由更新版本的 Ferry 写入（架构版本 %2）。</translation>
    </message>
</context>
<context>
    <name>ferry::TransferJob</name>
    <message>
        <source>Now %1.</source>
        <translation>当前状态：%1。</translation>
    </message>
</context>
<context>
    <name>ferry::UrlPattern</name>
    <message>
        <source>a list in {…} cannot hold another [ or {.</source>
        <translation>{…} 列表中不能再包含 [ 或 {。</translation>
    </message>
    <message>
        <source>the { at character %1 is never closed.</source>
        <translation>第 %1 个字符处的 { 没有闭合。</translation>
    </message>
    <message>
        <source>the [ at character %1 is never closed.</source>
        <translation>第 %1 个字符处的 [ 没有闭合。</translation>
    </message>
    <message>
        <source>%1 is not a range such as [1-10] or [a-z].</source>
        <translation>%1 不是 [1-10] 或 [a-z] 这样的范围。</translation>
    </message>
    <message>
        <source>the step in %1 is not a whole number.</source>
        <translation>%1 中的步长不是整数。</translation>
    </message>
    <message>
        <source>the range %1 mixes upper and lower case.</source>
        <translation>范围 %1 混用了大小写字母。</translation>
    </message>
    <message>
        <source>the range %1 mixes letters and numbers.</source>
        <translation>范围 %1 混用了字母和数字。</translation>
    </message>
    <message>
        <source>the range %1 has a step of 0.</source>
        <translation>范围 %1 的步长为 0。</translation>
    </message>
    <message>
        <source>the range %1 runs backwards.</source>
        <translation>范围 %1 是倒序的。</translation>
    </message>
    <message>
        <source>the %1 at character %2 has no opening %3.</source>
        <translation>第 %2 个字符处的 %1 没有对应的 %3。</translation>
    </message>
    <message>
        <source>Line %1: %2</source>
        <translation>第 %1 行：%2</translation>
    </message>
    <message>
        <source>This pattern makes more than %1 addresses; at most %2 can be added at once.</source>
        <translation>此模式会生成超过 %1 个地址；一次最多只能添加 %2 个。</translation>
    </message>
    <message>
        <source>This pattern makes %1 addresses; at most %2 can be added at once.</source>
        <translation>此模式会生成 %1 个地址；一次最多只能添加 %2 个。</translation>
    </message>
</context>
<context>
    <name>ferry::UrlProber</name>
    <message>
        <source>Not a downloadable address (only http and https URLs).</source>
        <translation>不是可下载的地址（仅支持 http 和 https 链接）。</translation>
    </message>
</context>
<context>
    <name>ferry::app::S3Wiring</name>
    <message>
        <source>S3 Browser</source>
        <translation>S3 浏览器</translation>
    </message>
    <message numerus="yes">
        <source>%n object(s) added to the queue.</source>
        <translation>
            <numerusform>已将 %n 个对象加入队列。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ferry::s3</name>
    <message>
        <source>this service</source>
        <translation>此服务</translation>
    </message>
    <message>
        <source>The secret key does not match the access key for this account. Check the account&apos;s credentials.</source>
        <translation>此账户的秘密访问密钥与访问密钥 ID 不匹配，请检查账户的访问密钥。</translation>
    </message>
    <message>
        <source>The service does not know this account&apos;s access key. Check the account&apos;s credentials.</source>
        <translation>服务无法识别此账户的访问密钥 ID，请检查账户的访问密钥。</translation>
    </message>
    <message>
        <source>The session token of this account has expired. Renew the account&apos;s credentials.</source>
        <translation>此账户的会话令牌已过期，请更新账户的访问密钥。</translation>
    </message>
    <message>
        <source>The session token of this account is not valid. Check the account&apos;s credentials.</source>
        <translation>此账户的会话令牌无效，请检查账户的访问密钥。</translation>
    </message>
    <message>
        <source>This account is not allowed to do that on %1. Check the account&apos;s permissions.</source>
        <translation>此账户无权对 %1 执行该操作，请检查账户权限。</translation>
    </message>
    <message>
        <source>There is no bucket named “%1” on this service.</source>
        <translation>此服务上没有名为“%1”的存储桶。</translation>
    </message>
    <message>
        <source>%1 does not exist (any more).</source>
        <translation>%1 不存在（或已被删除）。</translation>
    </message>
    <message>
        <source>The upload to %1 no longer exists on the service; it was completed or cancelled.</source>
        <translation>服务上已没有到 %1 的上传任务，它已完成或已取消。</translation>
    </message>
    <message>
        <source>%1 changed on the server.</source>
        <translation>服务器上的 %1 已更改。</translation>
    </message>
    <message>
        <source>The requested range lies outside of %1.</source>
        <translation>请求的范围超出了 %1 的大小。</translation>
    </message>
    <message>
        <source>This computer&apos;s clock differs too much from the service&apos;s. Check the system time.</source>
        <translation>本机时钟与服务的时间相差过大，请检查系统时间。</translation>
    </message>
    <message>
        <source>The bucket “%1” is in region %2, not %3.</source>
        <translation>存储桶“%1”位于区域 %2，而不是 %3。</translation>
    </message>
    <message>
        <source>The bucket “%1” is in another region. Set the account&apos;s region or endpoint.</source>
        <translation>存储桶“%1”位于其他区域，请设置账户的区域或终端节点。</translation>
    </message>
    <message>
        <source>The service is busy and asks to slow down. Try again shortly.</source>
        <translation>服务繁忙，要求降低请求频率，请稍后重试。</translation>
    </message>
    <message>
        <source>The service had an internal error. Try again shortly.</source>
        <translation>服务出现内部错误，请稍后重试。</translation>
    </message>
    <message>
        <source>This service does not support that operation.</source>
        <translation>此服务不支持该操作。</translation>
    </message>
    <message>
        <source>A part of the upload is smaller than the service&apos;s minimum part size.</source>
        <translation>上传的某个分段小于服务允许的最小分段大小。</translation>
    </message>
    <message>
        <source>The upload is larger than the service accepts.</source>
        <translation>上传的内容超过了服务允许的大小。</translation>
    </message>
    <message>
        <source>The service rejected the list of uploaded parts of %1.</source>
        <translation>服务拒绝了 %1 的已上传分段列表。</translation>
    </message>
    <message>
        <source>The account&apos;s storage quota is exhausted.</source>
        <translation>此账户的存储配额已用完。</translation>
    </message>
    <message>
        <source>“%1” is not a valid bucket name.</source>
        <translation>“%1”不是有效的存储桶名称。</translation>
    </message>
    <message>
        <source>The service refused the request (%1): %2</source>
        <translation>服务拒绝了请求（%1）：%2</translation>
    </message>
    <message>
        <source>The service refused the request (%1, HTTP %2).</source>
        <translation>服务拒绝了请求（%1，HTTP %2）。</translation>
    </message>
    <message>
        <source>The service refused the request (HTTP %1).</source>
        <translation>服务拒绝了请求（HTTP %1）。</translation>
    </message>
    <message>
        <source>%1 refused the connection.</source>
        <translation>%1 拒绝了连接。</translation>
    </message>
    <message>
        <source>The server %1 was not found. Check the account&apos;s endpoint.</source>
        <translation>找不到服务器 %1，请检查账户的终端节点。</translation>
    </message>
    <message>
        <source>%1 stopped answering.</source>
        <translation>%1 已停止响应。</translation>
    </message>
    <message>
        <source>A secure connection to %1 could not be established: %2</source>
        <translation>无法与 %1 建立安全连接：%2</translation>
    </message>
    <message>
        <source>The connection to %1 failed: %2</source>
        <translation>连接 %1 失败：%2</translation>
    </message>
    <message>
        <source>The service sent a reply that is not valid S3 (%1).</source>
        <translation>服务返回了无效的 S3 响应（%1）。</translation>
    </message>
    <message>
        <source>The request was cancelled.</source>
        <translation>请求已取消。</translation>
    </message>
</context>
<context>
    <name>ferry::s3::AccountStore</name>
    <message>
        <source>Give the account a name.</source>
        <translation>请为账户命名。</translation>
    </message>
    <message>
        <source>An account named “%1” already exists.</source>
        <translation>已存在名为“%1”的账户。</translation>
    </message>
    <message>
        <source>The endpoint must be an http:// or https:// address with a host name, such as https://s3.amazonaws.com or http://127.0.0.1:9000.</source>
        <translation>终端节点必须是带主机名的 http:// 或 https:// 地址，例如 https://s3.amazonaws.com 或 http://127.0.0.1:9000。</translation>
    </message>
    <message>
        <source>The endpoint must not contain a user name or password; enter the access keys in their own fields.</source>
        <translation>终端节点中不能包含用户名或密码，请在对应的输入框中填写访问密钥。</translation>
    </message>
    <message>
        <source>The endpoint must not contain a query or a fragment.</source>
        <translation>终端节点中不能包含查询参数或片段（# 之后的部分）。</translation>
    </message>
    <message>
        <source>The account “%1” does not exist any more.</source>
        <translation>账户“%1”已不存在。</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>Environment</source>
        <translation>环境变量</translation>
    </message>
</context>
<context>
    <name>ferry::s3::Client</name>
    <message>
        <source>the reply ended after %1 of %2 bytes</source>
        <translation>响应只收到 %1 字节（共 %2 字节）就结束了</translation>
    </message>
</context>
<context>
    <name>ferry::s3::CredentialStore</name>
    <message>
        <source>The AWS profile “%1” was not found in %2.</source>
        <translation>在 %2 中找不到 AWS 配置文件“%1”。</translation>
    </message>
    <message>
        <source>The AWS profile “%1” has no access keys (aws_access_key_id and aws_secret_access_key). Profiles that use single sign-on, roles or a credential process are not supported.</source>
        <translation>AWS 配置文件“%1”中没有访问密钥（aws_access_key_id 和 aws_secret_access_key）。不支持使用单点登录、角色或凭证进程的配置文件。</translation>
    </message>
    <message>
        <source>The keychain entry for “%1” is damaged; enter its access keys again.</source>
        <translation>“%1”的系统密钥环条目已损坏，请重新输入访问密钥。</translation>
    </message>
    <message>
        <source>The keychain could not be read: %1</source>
        <translation>无法读取系统密钥环：%1</translation>
    </message>
    <message>
        <source>AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not.</source>
        <translation>已设置 AWS_ACCESS_KEY_ID，但未设置 AWS_SECRET_ACCESS_KEY。</translation>
    </message>
    <message>
        <source>No access keys for “%1”: enter them in the account, choose an AWS profile, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.</source>
        <translation>“%1”没有访问密钥：请在账户中输入，或选择一个 AWS 配置文件，或设置 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY。</translation>
    </message>
    <message>
        <source>Add the account before saving its access keys.</source>
        <translation>请先添加账户，再保存其访问密钥。</translation>
    </message>
    <message>
        <source>“%1” takes its access keys from the AWS profile “%2”; edit that profile or clear it from the account.</source>
        <translation>“%1”使用 AWS 配置文件“%2”中的访问密钥；请编辑该配置文件，或在账户中清除该配置文件。</translation>
    </message>
    <message>
        <source>Enter both the access key ID and the secret access key.</source>
        <translation>请同时输入访问密钥 ID 和秘密访问密钥。</translation>
    </message>
    <message>
        <source>The keychain refused to store the access keys (%1); they are kept for this session only.</source>
        <translation>系统密钥环拒绝保存访问密钥（%1），密钥仅在本次运行期间保留。</translation>
    </message>
    <message>
        <source>The keychain could not delete the access keys: %1</source>
        <translation>系统密钥环无法删除访问密钥：%1</translation>
    </message>
    <message>
        <source>No system keychain is available, so access keys are kept for this session only and must be entered again after Ferry restarts.</source>
        <translation>系统密钥环不可用，访问密钥仅在本次运行期间保留，重启 Ferry 后需要重新输入。</translation>
    </message>
</context>
<context>
    <name>ferry::s3::UploadJob</name>
    <message>
        <source>The file %1 is gone.</source>
        <translation>文件 %1 已不存在。</translation>
    </message>
    <message>
        <source>The file %1 changed since the upload began.</source>
        <translation>文件 %1 在开始上传后已被修改。</translation>
    </message>
    <message>
        <source>Waiting for the credentials of this S3 account: open the account, then resume.</source>
        <translation>正在等待此 S3 账户的访问密钥：请打开该账户，然后继续上传。</translation>
    </message>
    <message>
        <source>Another Ferry process (pid %1) is running this transfer.</source>
        <translation>另一个 Ferry 进程（PID %1）正在运行此传输任务。</translation>
    </message>
    <message>
        <source>Cannot read %1.</source>
        <translation>无法读取 %1。</translation>
    </message>
    <message>
        <source>Starting the upload again.</source>
        <translation>重新开始上传。</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>The file %1 changed while it was read.</source>
        <translation>文件 %1 在读取过程中被修改。</translation>
    </message>
    <message>
        <source>The server did not start the upload.</source>
        <translation>服务器未能开始上传。</translation>
    </message>
    <message>
        <source>Multipart upload started: %1 parts of %2 bytes.</source>
        <translation>已开始分段上传：共 %1 段，每段 %2 字节。</translation>
    </message>
    <message>
        <source>%1 Retrying in %2 s.</source>
        <translation>%1 %2 秒后重试。</translation>
    </message>
    <message>
        <source>The S3 account of this upload is not open.</source>
        <translation>此上传所属的 S3 账户未打开。</translation>
    </message>
    <message>
        <source>The S3 account was closed before the server answered.</source>
        <translation>服务器答复之前，S3 账户已被关闭。</translation>
    </message>
    <message>
        <source>The server cannot list the parts it holds; going by the local record.</source>
        <translation>服务器无法列出它保存的分块；按本地记录继续。</translation>
    </message>
    <message>
        <source>Part %1 as recorded is not on the server.</source>
        <translation>记录中的第 %1 块不在服务器上。</translation>
    </message>
    <message>
        <source>Part %1 on the server is not the one recorded.</source>
        <translation>服务器上的第 %1 块与记录不符。</translation>
    </message>
    <message>
        <source>Part %1 was already on the server; not sending it again.</source>
        <translation>第 %1 块已在服务器上，不再重复发送。</translation>
    </message>
    <message>
        <source>Resuming: the server holds %1 of %2 parts (%3 found unrecorded); %4 to send.</source>
        <translation>继续上传：服务器已有 %2 块中的 %1 块（其中 %3 块未记录在本地）；还需发送 %4 块。</translation>
    </message>
    <message>
        <source>The server already completed this upload.</source>
        <translation>服务器已完成此次上传。</translation>
    </message>
    <message>
        <source>The server no longer knows upload %1 (%2); starting a fresh upload.</source>
        <translation>服务器已不认识上传 %1（%2）；重新开始上传。</translation>
    </message>
</context>
<context>
    <name>ferry::ui::AddDialog</name>
    <message>
        <source>Add Downloads</source>
        <translation>新建下载</translation>
    </message>
    <message>
        <source>https://example.com/file.iso</source>
        <translation>https://example.com/file.iso</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Optional, e.g. sha256=…</source>
        <translation>可选，例如 sha256=…</translation>
    </message>
    <message>
        <source>Save &amp;to:</source>
        <translation>保存到(&amp;T)：</translation>
    </message>
    <message>
        <source>File &amp;name:</source>
        <translation>文件名(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Connections:</source>
        <translation>连接数(&amp;C)：</translation>
    </message>
    <message>
        <source>Speed &amp;limit:</source>
        <translation>限速(&amp;L)：</translation>
    </message>
    <message>
        <source>C&amp;hecksum:</source>
        <translation>校验值(&amp;H)：</translation>
    </message>
    <message>
        <source>&amp;Advanced</source>
        <translation>高级(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Start Now</source>
        <translation>立即下载(&amp;S)</translation>
    </message>
    <message>
        <source>Add to &amp;Queue</source>
        <translation>加入队列(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;URLs, one per line:</source>
        <translation>下载链接(&amp;U)，每行一个：</translation>
    </message>
    <message>
        <source>Referer: https://example.com/
User-Agent: …</source>
        <translation>Referer: https://example.com/
User-Agent: …</translation>
    </message>
    <message>
        <source>name=value; other=value</source>
        <translation>name=value; other=value</translation>
    </message>
    <message>
        <source>&amp;Headers, one “Name: value” per line:</source>
        <translation>请求头(&amp;H)，每行一个“名称: 值”：</translation>
    </message>
    <message>
        <source>C&amp;ookies:</source>
        <translation>Cookie(&amp;O)：</translation>
    </message>
    <message>
        <source>User na&amp;me:</source>
        <translation>用户名(&amp;M)：</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>No http or https address found.</source>
        <translation>未找到 http 或 https 链接。</translation>
    </message>
    <message>
        <source>As the server names it</source>
        <translation>使用服务器提供的文件名</translation>
    </message>
    <message>
        <source>Only for a single download</source>
        <translation>仅适用于单个下载</translation>
    </message>
    <message>
        <source>This checksum is not valid.</source>
        <translation>此校验值无效。</translation>
    </message>
    <message>
        <source>Save Downloads To</source>
        <translation>选择保存位置</translation>
    </message>
    <message>
        <source>The folder %1 could not be created.</source>
        <translation>无法创建文件夹 %1。</translation>
    </message>
    <message numerus="yes">
        <source>Nothing to add: the server does not have the address or refuses it (shown in red).</source>
        <translation>
            <numerusform>没有可添加的链接：服务器上没有该文件或拒绝访问（已标红）。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n address(es) will not be added: the server does not have them or refuses them (shown in red). The others will.</source>
        <translation>
            <numerusform>%n 个链接不会被添加：服务器上没有这些文件或拒绝访问（已标红）。其余链接照常添加。</numerusform>
        </translation>
    </message>
    <message>
        <source>Tick the links to download.</source>
        <translation>请勾选要下载的链接。</translation>
    </message>
    <message>
        <source>Filter by name or address</source>
        <translation>按名称或地址筛选</translation>
    </message>
    <message>
        <source>Tick &amp;Shown</source>
        <translation>勾选显示项(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Untick Shown</source>
        <translation>取消勾选显示项(&amp;U)</translation>
    </message>
    <message numerus="yes">
        <source>%n link(s) found on the page; the ticked ones are added:</source>
        <translation>
            <numerusform>在页面上找到 %n 个链接，将添加勾选的链接：</numerusform>
        </translation>
    </message>
    <message>
        <source>All types (%1)</source>
        <translation>全部类型（%1）</translation>
    </message>
    <message>
        <source>These patterns make %1 addresses; at most %2 can be added at once.</source>
        <translation>这些模式会生成 %1 个地址；一次最多只能添加 %2 个。</translation>
    </message>
    <message numerus="yes">
        <source>This pattern makes %Ln address(es): %1 … %2</source>
        <translation>
            <numerusform>此模式会生成 %Ln 个地址：%1 … %2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln entries skipped: %1</source>
        <translation>
            <numerusform>跳过了 %Ln 项：%1</numerusform>
        </translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>E&amp;xtract ZIP archives when complete</source>
        <translation>完成后解压 ZIP 压缩包(&amp;X)</translation>
    </message>
    <message>
        <source>A download that is a ZIP archive is unpacked into a new folder named after it; other files stay as they are.</source>
        <translation>如果下载的是 ZIP 压缩包，就解压到以它命名的新文件夹中；其他文件保持不变。</translation>
    </message>
    <message>
        <source>Show Cont&amp;ents…</source>
        <translation>显示内容(&amp;E)…</translation>
    </message>
    <message>
        <source>Lists the files inside a ZIP archive, to download only some of them</source>
        <translation>列出 ZIP 压缩包中的文件，以便只下载其中一部分</translation>
    </message>
</context>
<context>
    <name>ferry::ui::BrowserPage</name>
    <message>
        <source>Registered for this user</source>
        <translation>已为当前用户注册</translation>
    </message>
    <message>
        <source>Registered for all users</source>
        <translation>已为所有用户注册</translation>
    </message>
    <message>
        <source>Registered, but %1 is missing</source>
        <translation>已注册，但找不到 %1</translation>
    </message>
    <message>
        <source>Not registered</source>
        <translation>未注册</translation>
    </message>
    <message>
        <source>Not connected yet</source>
        <translation>尚未连接</translation>
    </message>
    <message>
        <source>Last connected %1</source>
        <translation>上次连接：%1</translation>
    </message>
    <message>
        <source>&amp;Start downloads caught in the browser without asking</source>
        <translation>直接开始从浏览器接管的下载，不再询问(&amp;S)</translation>
    </message>
    <message>
        <source>Otherwise the add dialog opens first, to choose the folder, the name and the connections.</source>
        <translation>否则会先打开添加对话框，以便选择文件夹、文件名和连接数。</translation>
    </message>
    <message>
        <source>Browser</source>
        <translation>浏览器</translation>
    </message>
    <message>
        <source>Ferry&apos;s helper</source>
        <translation>Ferry 助手程序</translation>
    </message>
    <message>
        <source>Extension</source>
        <translation>扩展</translation>
    </message>
    <message>
        <source>&amp;Register for This User</source>
        <translation>为当前用户注册(&amp;R)</translation>
    </message>
    <message>
        <source>Lets the browsers of this user start %1.</source>
        <translation>允许当前用户的浏览器启动 %1。</translation>
    </message>
    <message>
        <source>(not installed)</source>
        <translation>（未安装）</translation>
    </message>
    <message>
        <source>&lt;b&gt;Adding the extension&lt;/b&gt;&lt;br&gt;Chromium, Chrome, Brave, Edge, Vivaldi: open &lt;code&gt;chrome://extensions&lt;/code&gt;, turn on Developer mode, click “Load unpacked” and choose %1.&lt;br&gt;Firefox: open &lt;code&gt;about:debugging#/runtime/this-firefox&lt;/code&gt;, click “Load Temporary Add-on…” and choose &lt;code&gt;manifest.json&lt;/code&gt; in %2 (Firefox forgets it when it closes).&lt;br&gt;Downloads Ferry cannot fetch as the browser would (private windows, forms, &lt;code&gt;blob:&lt;/code&gt; links) stay in the browser, and so does everything while Ferry does not answer.</source>
        <translation>&lt;b&gt;添加扩展&lt;/b&gt;&lt;br&gt;Chromium、Chrome、Brave、Edge、Vivaldi：打开 &lt;code&gt;chrome://extensions&lt;/code&gt;，开启“开发者模式”，点击“加载已解压的扩展程序”，选择 %1。&lt;br&gt;Firefox：打开 &lt;code&gt;about:debugging#/runtime/this-firefox&lt;/code&gt;，点击“临时载入附加组件…”，选择 %2 中的 &lt;code&gt;manifest.json&lt;/code&gt;（Firefox 关闭后会忘记它）。&lt;br&gt;Ferry 无法按浏览器方式获取的下载（隐私窗口、表单、&lt;code&gt;blob:&lt;/code&gt; 链接）会留在浏览器中；Ferry 没有响应时，所有下载也都留给浏览器。</translation>
    </message>
    <message>
        <source>%1 (not found)</source>
        <translation>%1（未找到）</translation>
    </message>
    <message numerus="yes">
        <source>Registered for %n browser(s). Restart a browser that was open for it to find Ferry.</source>
        <translation>
            <numerusform>已为 %n 个浏览器注册。已打开的浏览器需要重新启动才能找到 Ferry。</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not register: %1</source>
        <translation>无法注册：%1</translation>
    </message>
    <message>
        <source>Extension version %1</source>
        <translation>扩展版本 %1</translation>
    </message>
</context>
<context>
    <name>ferry::ui::Category</name>
    <message>
        <source>Documents</source>
        <translation>文档</translation>
    </message>
    <message>
        <source>Archives</source>
        <translation>压缩包</translation>
    </message>
    <message>
        <source>Video</source>
        <translation>视频</translation>
    </message>
    <message>
        <source>Audio</source>
        <translation>音频</translation>
    </message>
    <message>
        <source>Programs</source>
        <translation>程序</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
</context>
<context>
    <name>ferry::ui::ChangeAddressDialog</name>
    <message>
        <source>Change Address of %1</source>
        <translation>更改 %1 的地址</translation>
    </message>
    <message>
        <source>When a link has expired, give a fresh one for the same file: what is already downloaded is kept. The new address must serve the same size, and the same file where the server can tell; else a few pieces are compared.</source>
        <translation>链接过期时，请提供同一文件的新链接：已下载的部分会保留。新地址必须提供相同大小的文件，服务器能说明时还必须是同一文件；否则会比对其中几段。</translation>
    </message>
    <message>
        <source>https://…</source>
        <translation>https://…</translation>
    </message>
    <message>
        <source>optional: name=value; name2=value2</source>
        <translation>可选：name=value; name2=value2</translation>
    </message>
    <message>
        <source>Sent only to the new address&apos;s server, and kept only while Ferry runs.</source>
        <translation>只发送给新地址的服务器，仅在 Ferry 运行期间保留。</translation>
    </message>
    <message>
        <source>Current address:</source>
        <translation>当前地址：</translation>
    </message>
    <message>
        <source>&amp;New address:</source>
        <translation>新地址(&amp;N)：</translation>
    </message>
    <message>
        <source>Coo&amp;kie:</source>
        <translation>Cookie(&amp;K)：</translation>
    </message>
    <message>
        <source>&amp;Change Address</source>
        <translation>更改地址(&amp;C)</translation>
    </message>
    <message>
        <source>Enter the new address.</source>
        <translation>请输入新地址。</translation>
    </message>
    <message>
        <source>Not a web address: only http:// and https:// addresses can be downloaded.</source>
        <translation>不是网址：只能下载 http:// 和 https:// 地址。</translation>
    </message>
    <message>
        <source>This is the download&apos;s current address.</source>
        <translation>这就是此下载的当前地址。</translation>
    </message>
    <message>
        <source>Checking the new address…</source>
        <translation>正在检查新地址…</translation>
    </message>
</context>
<context>
    <name>ferry::ui::DetailsPane</name>
    <message>
        <source>URL:</source>
        <translation>链接：</translation>
    </message>
    <message>
        <source>Final URL:</source>
        <translation>最终链接：</translation>
    </message>
    <message>
        <source>Saved to:</source>
        <translation>保存位置：</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>大小：</translation>
    </message>
    <message>
        <source>Validators:</source>
        <translation>版本标识：</translation>
    </message>
    <message>
        <source>Resume:</source>
        <translation>断点续传：</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <source>General</source>
        <translation>常规</translation>
    </message>
    <message>
        <source>Range</source>
        <translation>范围</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>日志</translation>
    </message>
    <message>
        <source>(same)</source>
        <translation>（相同）</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>Last-Modified %1</source>
        <translation>最后修改时间 %1</translation>
    </message>
    <message>
        <source>none (changes on the server cannot be detected)</source>
        <translation>无（无法检测服务器上的文件变化）</translation>
    </message>
    <message>
        <source>Supported (byte ranges)</source>
        <translation>支持（按字节范围）</translation>
    </message>
    <message>
        <source>Not supported: an interrupted download starts over</source>
        <translation>不支持：下载中断后需从头开始</translation>
    </message>
    <message>
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>receiving</source>
        <translation>接收中</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>%1, the entry “%2” in it</source>
        <translation>%1 中的条目“%2”</translation>
    </message>
</context>
<context>
    <name>ferry::ui::DownloadPropertiesDialog</name>
    <message>
        <source>Properties of %1</source>
        <translation>%1 的属性</translation>
    </message>
    <message>
        <source>URL:</source>
        <translation>链接：</translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation>文件夹：</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>大小：</translation>
    </message>
    <message>
        <source>Speed limit for this download alone</source>
        <translation>仅此下载的限速</translation>
    </message>
    <message>
        <source>Speed &amp;limit:</source>
        <translation>限速(&amp;L)：</translation>
    </message>
    <message>
        <source>The most connections this download opens to its server (1–32). A running download adds or closes connections within a second.</source>
        <translation>此下载与服务器之间最多打开的连接数（1–32）。正在进行的下载会在一秒内增加或关闭连接。</translation>
    </message>
    <message>
        <source>&amp;Connections:</source>
        <translation>连接数(&amp;C)：</translation>
    </message>
    <message>
        <source>Extract:</source>
        <translation>解压：</translation>
    </message>
    <message>
        <source>When complete, if it is a ZIP archive</source>
        <translation>完成后解压（如果是 ZIP 压缩包）</translation>
    </message>
    <message>
        <source>Extracting now</source>
        <translation>正在解压</translation>
    </message>
</context>
<context>
    <name>ferry::ui::Format</name>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
    <message>
        <source>%1 d %2 h</source>
        <translation>%1 天 %2 小时</translation>
    </message>
    <message>
        <source>No limit</source>
        <translation>不限速</translation>
    </message>
    <message>
        <source>%1 GiB/s</source>
        <translation>%1 GiB/s</translation>
    </message>
    <message>
        <source>%1 MiB/s</source>
        <translation>%1 MiB/s</translation>
    </message>
    <message>
        <source>%1 KiB/s</source>
        <translation>%1 KiB/s</translation>
    </message>
    <message>
        <source>%1 B/s</source>
        <translation>%1 B/s</translation>
    </message>
    <message>
        <source>“%1” is not a speed. Examples: 500K, 2M, 1.5 MiB/s.</source>
        <translation>“%1”不是有效的速度。示例：500K、2M、1.5 MiB/s。</translation>
    </message>
</context>
<context>
    <name>ferry::ui::MainWindow</name>
    <message>
        <source>Ferry</source>
        <translation>Ferry</translation>
    </message>
    <message>
        <source>&amp;Add Downloads…</source>
        <translation>新建下载(&amp;A)…</translation>
    </message>
    <message>
        <source>Add from &amp;Clipboard</source>
        <translation>从剪贴板添加(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Start / Resume</source>
        <translation>开始/继续(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <source>Pause or Resume</source>
        <translation>暂停或继续</translation>
    </message>
    <message>
        <source>Pause A&amp;ll</source>
        <translation>全部暂停(&amp;L)</translation>
    </message>
    <message>
        <source>Resume All</source>
        <translation>全部继续</translation>
    </message>
    <message>
        <source>&amp;Remove…</source>
        <translation>删除(&amp;R)…</translation>
    </message>
    <message>
        <source>Download &amp;Again</source>
        <translation>重新下载(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Open File</source>
        <translation>打开文件(&amp;O)</translation>
    </message>
    <message>
        <source>Open &amp;Folder</source>
        <translation>打开所在文件夹(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Copy URL</source>
        <translation>复制链接(&amp;C)</translation>
    </message>
    <message>
        <source>Move &amp;Up in Queue</source>
        <translation>在队列中上移(&amp;U)</translation>
    </message>
    <message>
        <source>Move &amp;Down in Queue</source>
        <translation>在队列中下移(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;About Ferry</source>
        <translation>关于 Ferry(&amp;A)</translation>
    </message>
    <message>
        <source>About Ferry</source>
        <translation>关于 Ferry</translation>
    </message>
    <message>
        <source>&lt;b&gt;Ferry %1&lt;/b&gt;&lt;p&gt;A segmented, resumable download manager.&lt;/p&gt;</source>
        <translation>&lt;b&gt;Ferry %1&lt;/b&gt;&lt;p&gt;支持多线程分段下载和断点续传的下载管理器。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Downloads</source>
        <translation>下载(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>下载中</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Categories</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Speed limit for all downloads together</source>
        <translation>所有下载的总限速</translation>
    </message>
    <message>
        <source>Limit:</source>
        <translation>限速：</translation>
    </message>
    <message>
        <source>Show Ferry</source>
        <translation>显示 Ferry</translation>
    </message>
    <message>
        <source>Download complete</source>
        <translation>下载完成</translation>
    </message>
    <message>
        <source>Download failed</source>
        <translation>下载失败</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Down: %1</source>
        <translation>下载：%1</translation>
    </message>
    <message>
        <source>%1 active, %2 queued</source>
        <translation>%1 个下载中，%2 个排队中</translation>
    </message>
    <message>
        <source>Ferry — %1</source>
        <translation>Ferry — %1</translation>
    </message>
    <message>
        <source>Remove downloads</source>
        <translation>删除下载任务</translation>
    </message>
    <message>
        <source>Remove this download from the list?</source>
        <translation>要从列表中删除此下载任务吗？</translation>
    </message>
    <message>
        <source>Remove these %1 downloads from the list?</source>
        <translation>要从列表中删除这 %1 个下载任务吗？</translation>
    </message>
    <message>
        <source>Remove, keep files</source>
        <translation>删除任务，保留文件</translation>
    </message>
    <message>
        <source>Download %1?</source>
        <translation>要下载 %1 吗？</translation>
    </message>
    <message>
        <source>Download the %1 copied links?</source>
        <translation>要下载复制的 %1 个链接吗？</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>查看(&amp;V)</translation>
    </message>
    <message>
        <source>“%1” is already on this computer.</source>
        <translation>“%1”已在这台电脑上。</translation>
    </message>
    <message numerus="yes">
        <source>%n dropped item(s) are already on this computer.</source>
        <translation>
            <numerusform>拖入的 %n 项已在这台电脑上。</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 Ferry downloads links; drop links, or a text file listing them.</source>
        <translation>%1 Ferry 只下载链接；请拖入链接，或列有链接的文本文件。</translation>
    </message>
    <message>
        <source>%1 To upload into a bucket, drop onto the %2 instead.</source>
        <translation>%1 如需上传到存储桶，请拖放到“%2”上。</translation>
    </message>
    <message>
        <source>Show %1</source>
        <translation>显示 %1</translation>
    </message>
    <message>
        <source>“%1” is removed, but what it left on the server could not be: %2 Its parts stay there until the bucket&apos;s lifecycle rules remove them.</source>
        <translation>“%1”已从列表中移除，但它在服务器上留下的内容未能清除：%2 已上传的分块会留在服务器上，直到存储桶的生命周期规则将其删除。</translation>
    </message>
    <message>
        <source>No downloads match the filter or the search.</source>
        <translation>没有符合筛选条件或搜索内容的下载。</translation>
    </message>
    <message>
        <source>Search by name or URL (%1)</source>
        <translation>按文件名或链接搜索（%1）</translation>
    </message>
    <message>
        <source>No program could open %1.</source>
        <translation>没有程序能打开 %1。</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <comment>tooltip: command (shortcut)</comment>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>&amp;Find</source>
        <translation>查找(&amp;F)</translation>
    </message>
    <message>
        <source>Restart Ferry</source>
        <translation>重启 Ferry</translation>
    </message>
    <message>
        <source>Ferry shows the new language after a restart. Restart now?</source>
        <translation>重启 Ferry 后才会显示新的语言。现在重启吗？</translation>
    </message>
    <message numerus="yes">
        <source>%n running download(s) stop for the restart and then go on.</source>
        <translation>
            <numerusform>%n 个正在进行的下载会在重启时暂停，重启后继续。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n running download(s) stop and wait in the queue until you resume them.</source>
        <translation>
            <numerusform>%n 个正在进行的下载会停止，并在队列中等待，直到你继续它们。</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Restart Now</source>
        <translation>立即重启(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Later</source>
        <translation>稍后(&amp;L)</translation>
    </message>
    <message>
        <source>Remove, move files to &amp;trash</source>
        <translation>移除，并将文件移到回收站(&amp;T)</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <comment>sidebar entry: name (how many downloads)</comment>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>C&amp;hange Address…</source>
        <translation>更改地址(&amp;H)…</translation>
    </message>
    <message>
        <source>The download was not given the new address: %1</source>
        <translation>下载未采用新地址：%1</translation>
    </message>
    <message>
        <source>No downloads yet. Paste a link (%1), drop one here, or click Add Downloads (%2).
With Ferry&apos;s browser extension, the downloads you click in Chromium or Firefox arrive here (Settings → Browser).</source>
        <translation>还没有下载。粘贴链接（%1）、把链接拖到这里，或点击“添加下载”（%2）。
安装 Ferry 的浏览器扩展后，在 Chromium 或 Firefox 中点击的下载会出现在这里（设置 → 浏览器）。</translation>
    </message>
    <message>
        <source>Caught in %1: %2</source>
        <translation>已从 %1 接管：%2</translation>
    </message>
    <message>
        <source>Proper&amp;ties…</source>
        <translation>属性(&amp;T)…</translation>
    </message>
    <message>
        <source>&amp;Import List…</source>
        <translation>导入列表(&amp;I)…</translation>
    </message>
    <message>
        <source>E&amp;xport List…</source>
        <translation>导出列表(&amp;X)…</translation>
    </message>
    <message>
        <source>Expor&amp;t Selection…</source>
        <translation>导出所选(&amp;T)…</translation>
    </message>
    <message>
        <source>Import List</source>
        <translation>导入列表</translation>
    </message>
    <message>
        <source>Lists (*.txt *.json);;All files (*)</source>
        <translation>列表 (*.txt *.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>JSON, with folders and settings (*.json)</source>
        <translation>JSON，含文件夹和设置 (*.json)</translation>
    </message>
    <message>
        <source>Export List</source>
        <translation>导出列表</translation>
    </message>
    <message>
        <source>Text, one address per line (*.txt)</source>
        <translation>文本，每行一个地址 (*.txt)</translation>
    </message>
    <message>
        <source>There are no downloads to export.</source>
        <translation>没有可导出的下载。</translation>
    </message>
    <message>
        <source>The list could not be saved to %1: %2</source>
        <translation>无法将列表保存到 %1：%2</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n download(s) to %1.</source>
        <translation>
            <numerusform>已将 %n 个下载导出到 %1。</numerusform>
        </translation>
    </message>
    <message>
        <source>The list %1 could not be read: %2</source>
        <translation>无法读取列表 %1：%2</translation>
    </message>
    <message>
        <source>%1 holds no http or https address.</source>
        <translation>%1 中没有 http 或 https 地址。</translation>
    </message>
    <message>
        <source>Sch&amp;eduler…</source>
        <translation>计划任务(&amp;E)…</translation>
    </message>
    <message>
        <source>Start &amp;Queue Now</source>
        <translation>立即开始队列(&amp;Q)</translation>
    </message>
    <message>
        <source>Stop Queue No&amp;w</source>
        <translation>立即停止队列(&amp;W)</translation>
    </message>
    <message>
        <source>Queue starts at %1</source>
        <translation>队列将于 %1 开始</translation>
    </message>
    <message>
        <source>Queue starts on %1 at %2</source>
        <translation>队列将于%1 %2 开始</translation>
    </message>
    <message>
        <source>When Done</source>
        <translation>完成后</translation>
    </message>
    <message>
        <source>What Ferry does when every download is done</source>
        <translation>所有下载完成后 Ferry 要做什么</translation>
    </message>
    <message numerus="yes">
        <source>Every download is done. Ferry quits in %n second(s).</source>
        <translation>
            <numerusform>所有下载已完成。Ferry 将在 %n 秒后退出。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Every download is done. The computer is suspended in %n second(s).</source>
        <translation>
            <numerusform>所有下载已完成。计算机将在 %n 秒后睡眠。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Every download is done. The computer powers off in %n second(s).</source>
        <translation>
            <numerusform>所有下载已完成。计算机将在 %n 秒后关机。</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>From %1: sent with its cookies for %2, the page it came from and its User-Agent (never in Ferry&apos;s files; in the system keychain until the download ends).</source>
        <translation>来自 %1：将附带它为 %2 保存的 Cookie、来源页面和 User-Agent 一起发送（不写入 Ferry 的文件；下载结束前保存在系统钥匙串中）。</translation>
    </message>
    <message>
        <source>The contents of %1 cannot be shown: its S3 account is not open.</source>
        <translation>无法显示 %1 的内容：它的 S3 账户尚未打开。</translation>
    </message>
    <message numerus="yes">
        <source>%n entry(ies) added to the queue.</source>
        <translation>
            <numerusform>已将 %n 个条目加入队列。</numerusform>
        </translation>
    </message>
    <message>
        <source>Show Co&amp;ntents…</source>
        <translation>显示内容(&amp;N)…</translation>
    </message>
</context>
<context>
    <name>ferry::ui::MessageBar</name>
    <message>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>ferry::ui::ProbeList</name>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在检查…</translation>
    </message>
    <message>
        <source>%1 bytes</source>
        <translation>%1 字节</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Resumable</source>
        <translation>支持续传</translation>
    </message>
    <message>
        <source>No resume</source>
        <translation>不支持续传</translation>
    </message>
    <message>
        <source>Can be paused and continued, with several connections.</source>
        <translation>可以暂停和继续，并可使用多个连接下载。</translation>
    </message>
    <message>
        <source>The server does not support resuming: a pause or a broken connection starts the file over.</source>
        <translation>服务器不支持断点续传：暂停或连接中断后需从头下载。</translation>
    </message>
    <message>
        <source>%1
This address will not be added.</source>
        <translation>%1
此链接不会被添加。</translation>
    </message>
    <message>
        <source>%1
This address is added all the same: the problem may be gone when the download starts.</source>
        <translation>%1
此链接仍会被添加：开始下载时问题可能已经解决。</translation>
    </message>
    <message>
        <source>Added without checking</source>
        <translation>未检查，直接添加</translation>
    </message>
</context>
<context>
    <name>ferry::ui::QuitPrompt</name>
    <message>
        <source>Quit Ferry</source>
        <translation>退出 Ferry</translation>
    </message>
    <message numerus="yes">
        <source>%n download(s) are running. Quit anyway, keep running in the tray, or cancel?</source>
        <translation>
            <numerusform>%n 个下载正在进行。仍然退出、在系统托盘中继续运行，还是取消？</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n download(s) are running. Quit anyway?</source>
        <translation>
            <numerusform>%n 个下载正在进行。仍然退出吗？</numerusform>
        </translation>
    </message>
    <message>
        <source>What is downloaded so far is kept; unfinished downloads go on the next time Ferry starts.</source>
        <translation>已下载的部分会保留；未完成的下载将在下次启动 Ferry 时继续。</translation>
    </message>
    <message>
        <source>What is downloaded so far is kept; unfinished downloads wait in the queue until you resume them.</source>
        <translation>已下载的部分会保留；未完成的下载会在队列中等待，直到你继续它们。</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Keep Running in Tray</source>
        <translation>在托盘中继续运行(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;Don&apos;t ask again</source>
        <translation>不再询问(&amp;D)</translation>
    </message>
</context>
<context>
    <name>ferry::ui::RateLimitBox</name>
    <message>
        <source>Pick a speed or type one, e.g. 500K, 2M or 1.5 MiB/s. A number alone counts KiB/s; empty or 0 means no limit.</source>
        <translation>选择或输入速度，如 500K、2M 或 1.5 MiB/s。只输入数字时单位为 KiB/s；留空或输入 0 表示不限速。</translation>
    </message>
</context>
<context>
    <name>ferry::ui::RequestAdder</name>
    <message>
        <source>Already in the List</source>
        <translation>已在下载列表中</translation>
    </message>
    <message>
        <source>This address is already in the list: “%1”, %2.</source>
        <translation>此链接已在下载列表中：“%1”，%2。</translation>
    </message>
    <message>
        <source>%1
Saved to %2</source>
        <translation>%1
保存到 %2</translation>
    </message>
    <message>
        <source>&amp;Open the Existing Download</source>
        <translation>打开已有的下载(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Download Again Under a New Name</source>
        <translation>以新文件名重新下载(&amp;D)</translation>
    </message>
    <message>
        <source>The same file seems to be in the list under another address: “%1”, %2.</source>
        <translation>同一文件似乎已以另一个地址在列表中：“%1”，%2。</translation>
    </message>
    <message>
        <source>&amp;Continue the Existing Download with This New Address</source>
        <translation>用这个新地址继续现有下载(&amp;C)</translation>
    </message>
</context>
<context>
    <name>ferry::ui::RequestHeaders</name>
    <message>
        <source>Line %1: expected “Name: value”.</source>
        <translation>第 %1 行：格式应为“名称: 值”。</translation>
    </message>
    <message>
        <source>Line %1: “%2” is not a valid header name.</source>
        <translation>第 %1 行：“%2”不是有效的请求头名称。</translation>
    </message>
    <message>
        <source>Line %1: Ferry sets “%2” itself.</source>
        <translation>第 %1 行：“%2”由 Ferry 自动设置。</translation>
    </message>
</context>
<context>
    <name>ferry::ui::S3AccountDialog</name>
    <message>
        <source>Edit S3 Account</source>
        <translation>编辑 S3 账户</translation>
    </message>
    <message>
        <source>Add S3 Account</source>
        <translation>添加 S3 账户</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>e.g. Work MinIO</source>
        <translation>例如：公司 MinIO</translation>
    </message>
    <message>
        <source>&amp;Endpoint:</source>
        <translation>终端节点(&amp;E)：</translation>
    </message>
    <message>
        <source>&amp;Region:</source>
        <translation>区域(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Path-style addresses (most S3-compatible servers)</source>
        <translation>使用路径样式地址（大多数 S3 兼容服务器需要）(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Anonymous (public buckets only, requests are not signed)</source>
        <translation>匿名访问（仅限公开存储桶，请求不签名）(&amp;A)</translation>
    </message>
    <message>
        <source>Keys entered below</source>
        <translation>使用下方输入的访问密钥</translation>
    </message>
    <message>
        <source>Profile “%1” from ~/.aws</source>
        <translation>~/.aws 中的配置文件“%1”</translation>
    </message>
    <message>
        <source>&amp;Credentials:</source>
        <translation>凭据(&amp;C)：</translation>
    </message>
    <message>
        <source>Access &amp;key ID:</source>
        <translation>访问密钥 ID(&amp;K)：</translation>
    </message>
    <message>
        <source>&amp;Secret key:</source>
        <translation>秘密访问密钥(&amp;S)：</translation>
    </message>
    <message>
        <source>Session &amp;token:</source>
        <translation>会话令牌(&amp;T)：</translation>
    </message>
    <message>
        <source>only for temporary credentials</source>
        <translation>仅用于临时凭据</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>保持不变</translation>
    </message>
    <message>
        <source>Enter the access key ID and the secret key, or choose a profile or anonymous access.</source>
        <translation>请输入访问密钥 ID 和秘密访问密钥，或者选择配置文件或匿名访问。</translation>
    </message>
    <message>
        <source>Enter the secret key that belongs to the new access key ID.</source>
        <translation>请输入与新访问密钥 ID 对应的秘密访问密钥。</translation>
    </message>
    <message>
        <source>The keys could not be saved.</source>
        <translation>无法保存访问密钥。</translation>
    </message>
</context>
<context>
    <name>ferry::ui::S3Breadcrumb</name>
    <message>
        <source>Go to %1</source>
        <translation>转到 %1</translation>
    </message>
</context>
<context>
    <name>ferry::ui::S3BundleDialog</name>
    <message>
        <source>Download as ZIP</source>
        <translation>下载为 ZIP</translation>
    </message>
    <message>
        <source>Bundle into Bucket</source>
        <translation>打包到存储桶</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Save as:</source>
        <translation>保存为：</translation>
    </message>
    <message>
        <source>Bucket:</source>
        <translation>存储桶：</translation>
    </message>
    <message>
        <source>Key:</source>
        <translation>对象键：</translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation>1 小时</translation>
    </message>
    <message>
        <source>1 day</source>
        <translation>1 天</translation>
    </message>
    <message>
        <source>7 days</source>
        <translation>7 天</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>Share link valid for:</source>
        <translation>分享链接有效期：</translation>
    </message>
    <message>
        <source> h</source>
        <translation> 小时</translation>
    </message>
    <message>
        <source>Custom:</source>
        <translation>自定义：</translation>
    </message>
    <message>
        <source>Images, videos and archives are stored as they are; other files are compressed at this level (1 fastest, 9 smallest).</source>
        <translation>图片、视频和压缩包按原样存储，其他文件按此级别压缩（1 最快，9 体积最小）。</translation>
    </message>
    <message>
        <source>Compression level:</source>
        <translation>压缩级别：</translation>
    </message>
    <message>
        <source>Skip objects that fail and report them (otherwise stop at the first failure)</source>
        <translation>跳过出错的对象并在完成后列出（否则遇到第一个错误即停止）</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <source>Bundle</source>
        <translation>打包</translation>
    </message>
    <message>
        <source>ZIP archives (*.zip)</source>
        <translation>ZIP 压缩包 (*.zip)</translation>
    </message>
    <message>
        <source>Choose where to save the ZIP file.</source>
        <translation>请选择 ZIP 文件的保存位置。</translation>
    </message>
    <message>
        <source>Enter the bucket to put the ZIP file into.</source>
        <translation>请输入用于存放 ZIP 文件的存储桶。</translation>
    </message>
    <message>
        <source>Enter the key (name) of the ZIP file.</source>
        <translation>请输入 ZIP 文件的对象键（名称）。</translation>
    </message>
    <message>
        <source>A share link can be valid for at most 7 days.</source>
        <translation>分享链接的有效期最长为 7 天。</translation>
    </message>
</context>
<context>
    <name>ferry::ui::S3DeleteJob</name>
    <message>
        <source>The account was closed.</source>
        <translation>账户已关闭。</translation>
    </message>
</context>
<context>
    <name>ferry::ui::S3ObjectModel</name>
    <message>
        <source>Name</source>
        <translation>文件名</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Modified</source>
        <translation>修改时间</translation>
    </message>
    <message>
        <source>Storage class</source>
        <translation>存储类别</translation>
    </message>
</context>
<context>
    <name>ferry::ui::S3Panel</name>
    <message>
        <source>No account</source>
        <translation>无账户</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>账户</translation>
    </message>
    <message>
        <source>&amp;Add Account…</source>
        <translation>添加账户(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Edit Account…</source>
        <translation>编辑账户(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Import Profiles from ~/.aws</source>
        <translation>从 ~/.aws 导入配置文件(&amp;I)</translation>
    </message>
    <message>
        <source>Bucket</source>
        <translation>存储桶</translation>
    </message>
    <message>
        <source>Refresh (F5)</source>
        <translation>刷新（F5）</translation>
    </message>
    <message>
        <source>Filter loaded items by name</source>
        <translation>按名称筛选已加载的项目</translation>
    </message>
    <message>
        <source>Only rows loaded so far are searched; scroll down to load more.</source>
        <translation>只搜索已加载的项目，向下滚动可加载更多。</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>打开(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Download</source>
        <translation>下载(&amp;D)</translation>
    </message>
    <message>
        <source>Download &amp;To…</source>
        <translation>下载到(&amp;T)…</translation>
    </message>
    <message>
        <source>Download To</source>
        <translation>下载到</translation>
    </message>
    <message>
        <source>Copy &amp;Share Link…</source>
        <translation>复制分享链接(&amp;S)…</translation>
    </message>
    <message>
        <source>Copy s3:// &amp;URI</source>
        <translation>复制 s3:// URI(&amp;U)</translation>
    </message>
    <message>
        <source>De&amp;lete…</source>
        <translation>删除(&amp;L)…</translation>
    </message>
    <message>
        <source>P&amp;roperties</source>
        <translation>属性(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Up</source>
        <translation>上一级(&amp;U)</translation>
    </message>
    <message numerus="yes">
        <source>No S3 account yet. Found %n profile(s) with keys in ~/.aws.</source>
        <translation>
            <numerusform>尚未添加 S3 账户。在 ~/.aws 中找到 %n 个带访问密钥的配置文件。</numerusform>
        </translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>No S3 account yet.</source>
        <translation>尚未添加 S3 账户。</translation>
    </message>
    <message>
        <source>Add Account…</source>
        <translation>添加账户…</translation>
    </message>
    <message>
        <source>Opening %1…</source>
        <translation>正在打开 %1…</translation>
    </message>
    <message>
        <source>Type the name of a bucket you may read into the bucket field.</source>
        <translation>请在存储桶框中输入您有读取权限的存储桶名称。</translation>
    </message>
    <message>
        <source>Open an account first.</source>
        <translation>请先打开一个账户。</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message numerus="yes">
        <source>%n object(s) loaded</source>
        <translation>
            <numerusform>已加载 %n 个对象</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n folder(s)</source>
        <translation>
            <numerusform>%n 个文件夹</numerusform>
        </translation>
    </message>
    <message>
        <source>loading more…</source>
        <translation>正在加载更多…</translation>
    </message>
    <message>
        <source>scroll down for more</source>
        <translation>向下滚动可加载更多</translation>
    </message>
    <message>
        <source>Choose a bucket.</source>
        <translation>请选择存储桶。</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n object(s) from “%1”?</source>
        <translation>
            <numerusform>要从“%1”中删除 %n 个对象吗？</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Delete %n object(s) and %1 folder(s) with everything in them from “%2”?</source>
        <translation>
            <numerusform>要从“%2”中删除 %n 个对象和 %1 个文件夹（包括其中的全部内容）吗？</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete from S3</source>
        <translation>从 S3 删除</translation>
    </message>
    <message>
        <source>This cannot be undone.</source>
        <translation>此操作无法撤销。</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message numerus="yes">
        <source>%n object(s) could not be deleted, e.g. %1.</source>
        <translation>
            <numerusform>有 %n 个对象无法删除，例如 %1。</numerusform>
        </translation>
    </message>
    <message>
        <source>Deleting…</source>
        <translation>正在删除…</translation>
    </message>
    <message>
        <source>No profile with access keys to import was found in %1.</source>
        <translation>在 %1 中没有找到可导入的带访问密钥的配置文件。</translation>
    </message>
    <message numerus="yes">
        <source>Imported %n account(s) from ~/.aws.</source>
        <translation>
            <numerusform>已从 ~/.aws 导入 %n 个账户。</numerusform>
        </translation>
    </message>
    <message>
        <source>Download as &amp;ZIP…</source>
        <translation>下载为 ZIP(&amp;Z)…</translation>
    </message>
    <message>
        <source>&amp;Bundle into Bucket…</source>
        <translation>打包到存储桶(&amp;B)…</translation>
    </message>
    <message>
        <source>bundle</source>
        <translation>压缩包</translation>
    </message>
    <message>
        <source>The ZIP bundle could not be queued.</source>
        <translation>无法将 ZIP 打包任务加入队列。</translation>
    </message>
    <message>
        <source>The ZIP bundle failed: %1</source>
        <translation>ZIP 打包失败：%1</translation>
    </message>
    <message>
        <source>The ZIP bundle is in the bucket, but no share link was made.</source>
        <translation>ZIP 文件已存入存储桶，但未能生成分享链接。</translation>
    </message>
    <message>
        <source>Share link copied to the clipboard.</source>
        <translation>分享链接已复制到剪贴板。</translation>
    </message>
    <message>
        <source>U&amp;nfinished Uploads in This Bucket…</source>
        <translation>此存储桶中未完成的上传(&amp;N)…</translation>
    </message>
    <message>
        <source>U&amp;nfinished Uploads…</source>
        <translation>未完成的上传(&amp;N)…</translation>
    </message>
    <message>
        <source>Show Cont&amp;ents…</source>
        <translation>显示内容(&amp;E)…</translation>
    </message>
</context>
<context>
    <name>ferry::ui::S3PropertiesDialog</name>
    <message>
        <source>Properties of %1</source>
        <translation>%1 的属性</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>Object:</source>
        <translation>对象：</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>大小：</translation>
    </message>
    <message>
        <source>ETag:</source>
        <translation>ETag：</translation>
    </message>
    <message>
        <source>Last modified:</source>
        <translation>最后修改时间：</translation>
    </message>
    <message>
        <source>Content type:</source>
        <translation>内容类型：</translation>
    </message>
    <message>
        <source>Storage class:</source>
        <translation>存储类别：</translation>
    </message>
    <message>
        <source>Metadata</source>
        <translation>元数据</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>The account of this object is no longer open.</source>
        <translation>此对象所属的账户已关闭。</translation>
    </message>
    <message>
        <source>%1 (%2 bytes)</source>
        <translation>%1（%2 字节）</translation>
    </message>
</context>
<context>
    <name>ferry::ui::S3ShareDialog</name>
    <message>
        <source>Share Link</source>
        <translation>分享链接</translation>
    </message>
    <message>
        <source>Object:</source>
        <translation>对象：</translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation>1 小时</translation>
    </message>
    <message>
        <source>1 day</source>
        <translation>1 天</translation>
    </message>
    <message>
        <source>7 days</source>
        <translation>7 天</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>Valid for:</source>
        <translation>有效期：</translation>
    </message>
    <message>
        <source>minutes</source>
        <translation>分钟</translation>
    </message>
    <message>
        <source>hours</source>
        <translation>小时</translation>
    </message>
    <message>
        <source>days</source>
        <translation>天</translation>
    </message>
    <message>
        <source>Custom:</source>
        <translation>自定义：</translation>
    </message>
    <message>
        <source>Expires:</source>
        <translation>过期时间：</translation>
    </message>
    <message>
        <source>Link:</source>
        <translation>链接：</translation>
    </message>
    <message>
        <source>&amp;Copy Link</source>
        <translation>复制链接(&amp;C)</translation>
    </message>
    <message>
        <source>The account of this object is no longer open.</source>
        <translation>此对象所属的账户已关闭。</translation>
    </message>
    <message>
        <source>A link can be valid for at most 7 days.</source>
        <translation>链接的有效期最长为 7 天。</translation>
    </message>
</context>
<context>
    <name>ferry::ui::SchedulerDialog</name>
    <message>
        <source>Scheduler</source>
        <translation>计划任务</translation>
    </message>
    <message>
        <source>Scheduled queue</source>
        <translation>定时队列</translation>
    </message>
    <message>
        <source>&amp;Run the queue on a schedule</source>
        <translation>按计划运行队列(&amp;R)</translation>
    </message>
    <message>
        <source>Downloads added with “Add to Queue” wait for the start time; at the stop time the downloads the queue started are paused.</source>
        <translation>用“加入队列”添加的下载会等到开始时间；到停止时间时，队列启动的下载会被暂停。</translation>
    </message>
    <message>
        <source>S&amp;top at:</source>
        <translation>停止时间(&amp;T)：</translation>
    </message>
    <message>
        <source>&amp;Start at:</source>
        <translation>开始时间(&amp;S)：</translation>
    </message>
    <message>
        <source>Speed limits by time</source>
        <translation>按时间限速</translation>
    </message>
    <message>
        <source>Outside these times the speed limit from the status bar holds.</source>
        <translation>这些时段之外，使用状态栏中设置的限速。</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>To</source>
        <translation>到</translation>
    </message>
    <message>
        <source>Limit</source>
        <translation>限速</translation>
    </message>
    <message>
        <source>&amp;Add Speed Limit</source>
        <translation>添加限速(&amp;A)</translation>
    </message>
    <message>
        <source>Every day</source>
        <translation>每天</translation>
    </message>
    <message>
        <source>Monday to Friday</source>
        <translation>周一至周五</translation>
    </message>
    <message>
        <source>Saturday and Sunday</source>
        <translation>周六和周日</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
</context>
<context>
    <name>ferry::ui::SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>&amp;General</source>
        <translation>常规(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Connections</source>
        <translation>连接(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Proxy</source>
        <translation>代理(&amp;P)</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Choose Folder</source>
        <translation>选择文件夹</translation>
    </message>
    <message>
        <source>Folders by file type</source>
        <translation>按文件类型保存到不同文件夹</translation>
    </message>
    <message>
        <source>Same as the download folder</source>
        <translation>与默认下载文件夹相同</translation>
    </message>
    <message>
        <source>&amp;Resume unfinished downloads at start</source>
        <translation>启动时继续未完成的下载(&amp;R)</translation>
    </message>
    <message>
        <source>Closing the window keeps Ferry in the &amp;tray</source>
        <translation>关闭窗口时最小化到系统托盘(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Notify when a download finishes or fails</source>
        <translation>下载完成或失败时通知(&amp;N)</translation>
    </message>
    <message>
        <source>System</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Takes effect after restarting Ferry.</source>
        <translation>重启 Ferry 后生效。</translation>
    </message>
    <message>
        <source>&amp;Download folder:</source>
        <translation>默认下载文件夹(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <source> KiB/s</source>
        <translation> KiB/s</translation>
    </message>
    <message>
        <source>Unlimited</source>
        <translation>不限速</translation>
    </message>
    <message>
        <source>Many servers slow down or block clients that open too many connections at once.</source>
        <translation>许多服务器会对同时打开过多连接的客户端限速或封禁。</translation>
    </message>
    <message>
        <source>&amp;Downloads at the same time:</source>
        <translation>同时下载任务数(&amp;D)：</translation>
    </message>
    <message>
        <source>Connections per &amp;server:</source>
        <translation>每台服务器的连接数(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;Total speed limit:</source>
        <translation>全局限速(&amp;T)：</translation>
    </message>
    <message>
        <source>Use the system settings</source>
        <translation>使用系统设置</translation>
    </message>
    <message>
        <source>No proxy</source>
        <translation>不使用代理</translation>
    </message>
    <message>
        <source>HTTP</source>
        <translation>HTTP</translation>
    </message>
    <message>
        <source>SOCKS5</source>
        <translation>SOCKS5</translation>
    </message>
    <message>
        <source>Not set</source>
        <translation>未设置</translation>
    </message>
    <message>
        <source>The password is kept only until Ferry quits.</source>
        <translation>密码仅保留到 Ferry 退出为止。</translation>
    </message>
    <message>
        <source>&amp;Host:</source>
        <translation>主机(&amp;H)：</translation>
    </message>
    <message>
        <source>P&amp;ort:</source>
        <translation>端口(&amp;O)：</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <source>Pass&amp;word:</source>
        <translation>密码(&amp;W)：</translation>
    </message>
    <message>
        <source>The settings could not be saved to %1.</source>
        <translation>无法将设置保存到 %1。</translation>
    </message>
    <message>
        <source>Images, videos and archives are stored as they are; other files are compressed at this level (1 fastest, 9 smallest).</source>
        <translation>图片、视频和压缩包按原样存储，其他文件按此级别压缩（1 最快，9 体积最小）。</translation>
    </message>
    <message>
        <source>&amp;ZIP compression level:</source>
        <translation>ZIP 压缩级别(&amp;Z)：</translation>
    </message>
    <message>
        <source>&amp;Offer to add links copied to the clipboard</source>
        <translation>监视剪贴板，复制链接时提示下载(&amp;O)</translation>
    </message>
    <message>
        <source>Co&amp;nnections per download:</source>
        <translation>每个任务的连接数(&amp;N)：</translation>
    </message>
    <message>
        <source>P&amp;roxy:</source>
        <translation>代理(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Browser</source>
        <translation>浏览器(&amp;B)</translation>
    </message>
    <message>
        <source>E&amp;xtract ZIP archives when complete</source>
        <translation>完成后解压 ZIP 压缩包(&amp;X)</translation>
    </message>
    <message>
        <source>A download that is a ZIP archive is unpacked into a new folder named after it. The add dialog starts with this choice.</source>
        <translation>如果下载的是 ZIP 压缩包，就解压到以它命名的新文件夹中。新建下载对话框默认采用此选项。</translation>
    </message>
    <message>
        <source>Keep the archive</source>
        <translation>保留压缩包</translation>
    </message>
    <message>
        <source>Move the archive to the trash</source>
        <translation>将压缩包移到回收站</translation>
    </message>
    <message>
        <source>&amp;After extracting:</source>
        <translation>解压之后(&amp;A)：</translation>
    </message>
</context>
<context>
    <name>ferry::ui::SpeedGraph</name>
    <message>
        <source>peak %1</source>
        <translation>峰值 %1</translation>
    </message>
</context>
<context>
    <name>ferry::ui::TransferModel</name>
    <message>
        <source>Name</source>
        <translation>文件名</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>添加时间</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1%</translation>
    </message>
    <message>
        <source>Upload to %1</source>
        <translation>上传到 %1</translation>
    </message>
    <message>
        <source>ZIP bundle: %1</source>
        <translation>ZIP 打包：%1</translation>
    </message>
    <message>
        <source>Download of %1</source>
        <translation>下载自 %1</translation>
    </message>
    <message>
        <source>Place in the queue: unfinished downloads start in this order. Drag rows to change it.</source>
        <translation>队列中的位置：未完成的下载按此顺序开始。拖动行可调整顺序。</translation>
    </message>
    <message>
        <source>#</source>
        <comment>place in the queue</comment>
        <translation>#</translation>
    </message>
</context>
<context>
    <name>ferry::ui::TransferView</name>
    <message>
        <source>Reset Columns</source>
        <translation>恢复默认列</translation>
    </message>
    <message>
        <source>To change the queue&apos;s order by dragging, sort the list by # first.</source>
        <translation>要拖动调整队列顺序，请先按 # 排序列表。</translation>
    </message>
    <message numerus="yes">
        <source>%1 and %n more</source>
        <translation>
            <numerusform>%1 及另外 %n 项</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ferry::ui::UnfinishedUploadsDialog</name>
    <message>
        <source>Unfinished Uploads in %1</source>
        <translation>%1 中未完成的上传</translation>
    </message>
    <message>
        <source>Uploads that were started but neither completed nor aborted. Their parts are stored, and billed, until one or the other happens.</source>
        <translation>已开始但既未完成也未中止的上传。在完成或中止之前，它们的分块会一直被保存并计费。</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>键</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Started by</source>
        <translation>发起者</translation>
    </message>
    <message>
        <source>Size so far</source>
        <translation>已上传大小</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>继续(&amp;R)</translation>
    </message>
    <message>
        <source>Continue this upload in Ferry&apos;s transfer list (Ferry&apos;s own uploads only).</source>
        <translation>在 Ferry 的传输列表中继续此上传（仅限 Ferry 自己发起的上传）。</translation>
    </message>
    <message>
        <source>&amp;Abort…</source>
        <translation>中止(&amp;A)…</translation>
    </message>
    <message>
        <source>Remove the upload and the parts stored for it from the server.</source>
        <translation>从服务器删除此上传及为其保存的分块。</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>刷新(&amp;F)</translation>
    </message>
    <message>
        <source>The S3 account of this bucket is not open any more.</source>
        <translation>此存储桶的 S3 账户已不再打开。</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>Could not list the unfinished uploads: %1</source>
        <translation>无法列出未完成的上传：%1</translation>
    </message>
    <message>
        <source>This Ferry</source>
        <translation>本 Ferry</translation>
    </message>
    <message>
        <source>Transfer of %1</source>
        <translation>%1 的传输</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <source>No unfinished uploads in this bucket.</source>
        <translation>此存储桶中没有未完成的上传。</translation>
    </message>
    <message numerus="yes">
        <source>%n unfinished upload(s).</source>
        <translation>
            <numerusform>%n 个未完成的上传。</numerusform>
        </translation>
    </message>
    <message>
        <source>gone</source>
        <translation>已不存在</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message numerus="yes">
        <source>%n part(s), %1 bytes</source>
        <translation>
            <numerusform>%n 块，%1 字节</numerusform>
        </translation>
    </message>
    <message>
        <source>The transfer of this upload is no longer in Ferry&apos;s list.</source>
        <translation>此上传的传输已不在 Ferry 的列表中。</translation>
    </message>
    <message>
        <source>The upload of %1 continues in the transfer list.</source>
        <translation>%1 的上传已在传输列表中继续。</translation>
    </message>
    <message>
        <source>Abort Upload</source>
        <translation>中止上传</translation>
    </message>
    <message>
        <source>Abort the upload of “%1” and remove its stored parts from the server?</source>
        <translation>中止“%1”的上传并从服务器删除已保存的分块吗？</translation>
    </message>
    <message>
        <source>This cannot be undone. Ferry&apos;s transfer of this file will start again from the beginning when it is resumed.</source>
        <translation>此操作无法撤销。继续时，Ferry 对此文件的传输将从头开始。</translation>
    </message>
    <message>
        <source>This cannot be undone. Whoever started the upload cannot finish it.</source>
        <translation>此操作无法撤销。发起此上传的一方将无法完成它。</translation>
    </message>
    <message>
        <source>Aborting…</source>
        <translation>正在中止…</translation>
    </message>
    <message>
        <source>Could not abort the upload: %1</source>
        <translation>无法中止上传：%1</translation>
    </message>
</context>
<context>
    <name>ferry::ui::WhenDoneMenu</name>
    <message>
        <source>When Everything Is &amp;Done</source>
        <translation>全部完成后(&amp;D)</translation>
    </message>
    <message>
        <source>Do &amp;Nothing</source>
        <translation>不执行任何操作(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Quit Ferry</source>
        <translation>退出 Ferry(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Suspend the Computer</source>
        <translation>使计算机睡眠(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Power Off the Computer</source>
        <translation>关闭计算机(&amp;P)</translation>
    </message>
</context>
<context>
    <name>ferry::ui::ZipContentsDialog</name>
    <message>
        <source>Contents of %1</source>
        <translation>%1 的内容</translation>
    </message>
    <message>
        <source>&amp;Try Again</source>
        <translation>重试(&amp;T)</translation>
    </message>
    <message>
        <source>Filter by name</source>
        <translation>按名称筛选</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>文件名</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Packed</source>
        <translation>压缩后</translation>
    </message>
    <message>
        <source>Modified</source>
        <translation>修改时间</translation>
    </message>
    <message>
        <source>Encrypted</source>
        <translation>加密</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>&amp;Save to:</source>
        <translation>保存到(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;Download Selected</source>
        <translation>下载所选(&amp;D)</translation>
    </message>
    <message>
        <source>Reading the archive&apos;s table of contents…</source>
        <translation>正在读取压缩包的目录…</translation>
    </message>
    <message>
        <source>The contents cannot be shown: %1</source>
        <translation>无法显示内容：%1</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s), %1 unpacked. Listing read %2 of the archive&apos;s %3.</source>
        <translation>
            <numerusform>%n 个文件，解压后共 %1。列出内容只读取了压缩包 %3 中的 %2。</numerusform>
        </translation>
    </message>
    <message>
        <source>Encrypted</source>
        <comment>an entry that is</comment>
        <translation>已加密</translation>
    </message>
    <message>
        <source>Tick the files to download; a ticked folder brings everything in it.</source>
        <translation>勾选要下载的文件；勾选文件夹即包括其中的全部内容。</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) chosen: %1, %2 to fetch.</source>
        <translation>
            <numerusform>已选 %n 个文件：共 %1，需获取 %2。</numerusform>
        </translation>
    </message>
    <message>
        <source>Save Entries To</source>
        <translation>条目保存到</translation>
    </message>
    <message>
        <source>Cannot create the folder “%1”.</source>
        <translation>无法创建文件夹“%1”。</translation>
    </message>
    <message>
        <source>Nothing was queued.</source>
        <translation>没有加入任何下载。</translation>
    </message>
    <message>
        <source>At most %1 files can be downloaded at a time; %2 are ticked. Tick fewer, or download the whole archive and extract it.</source>
        <translation>一次最多只能下载 %1 个文件；现已勾选 %2 个。请少勾选一些，或者下载整个压缩包再解压。</translation>
    </message>
</context>
<context>
    <name>ferry::zip</name>
    <message>
        <source>The bundle&apos;s selection is unreadable: %1</source>
        <translation>无法读取打包任务的选择列表：%1</translation>
    </message>
    <message>
        <source>The bundle selects no objects.</source>
        <translation>打包任务没有选择任何对象。</translation>
    </message>
    <message>
        <source>The bundle needs exactly one destination: a local file or a bucket key.</source>
        <translation>打包任务必须有且只有一个目标：本地文件或存储桶中的对象键。</translation>
    </message>
</context>
<context>
    <name>ferry::zip::BundleJournal</name>
    <message>
        <source>Could not create %1: %2</source>
        <translation>无法创建 %1：%2</translation>
    </message>
    <message>
        <source>Could not open %1: %2</source>
        <translation>无法打开 %1：%2</translation>
    </message>
    <message>
        <source>%1 is shorter than recorded.</source>
        <translation>%1 比记录的短。</translation>
    </message>
    <message>
        <source>%1 is not a bundle journal Ferry can read.</source>
        <translation>%1 不是 Ferry 能读取的打包日志。</translation>
    </message>
    <message>
        <source>%1 is damaged.</source>
        <translation>%1 已损坏。</translation>
    </message>
    <message>
        <source>%1 is incomplete.</source>
        <translation>%1 不完整。</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>The bundle journal is not open.</source>
        <translation>打包日志未打开。</translation>
    </message>
</context>
<context>
    <name>ferry::zip::LocalFileZipSink</name>
    <message>
        <source>Could not create %1: %2</source>
        <translation>无法创建 %1：%2</translation>
    </message>
    <message>
        <source>The archive file is not open.</source>
        <translation>压缩包文件未打开。</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Invalid write position in the archive file.</source>
        <translation>压缩包文件中的写入位置无效。</translation>
    </message>
    <message>
        <source>Could not rename %1 to %2: %3</source>
        <translation>无法将 %1 重命名为 %2：%3</translation>
    </message>
    <message>
        <source>Could not open %1: %2</source>
        <translation>无法打开 %1：%2</translation>
    </message>
    <message>
        <source>%1 is shorter than its last checkpoint (%2 of %3 bytes).</source>
        <translation>%1 比其最后一个检查点短（%2 / %3 字节）。</translation>
    </message>
</context>
<context>
    <name>ferry::zip::MultipartSink</name>
    <message>
        <source>The server did not start the upload.</source>
        <translation>服务器未能开始上传。</translation>
    </message>
    <message>
        <source>The upload is no longer open.</source>
        <translation>此上传已关闭。</translation>
    </message>
    <message>
        <source>The server did not confirm part %1.</source>
        <translation>服务器未确认第 %1 段。</translation>
    </message>
    <message>
        <source>Part %1 of the archive could not be uploaded: %2</source>
        <translation>无法上传压缩包的第 %1 段：%2</translation>
    </message>
    <message>
        <source>The server did not assemble the archive: %1</source>
        <translation>服务器未能合并压缩包的分段：%1</translation>
    </message>
</context>
<context>
    <name>ferry::zip::ZipBundler</name>
    <message>
        <source>it no longer exists</source>
        <translation>已不存在</translation>
    </message>
    <message>
        <source>it changed since it was listed</source>
        <translation>列出后已被修改</translation>
    </message>
    <message>
        <source>access denied</source>
        <translation>访问被拒绝</translation>
    </message>
    <message>
        <source>Listing %1 failed (%2); retrying.</source>
        <translation>列出 %1 失败（%2），正在重试。</translation>
    </message>
    <message>
        <source>Cannot list %1: %2</source>
        <translation>无法列出 %1：%2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Skipped %1: %2</source>
        <translation>已跳过 %1：%2</translation>
    </message>
    <message>
        <source>%1 is not archived (its folder is already there).</source>
        <translation>未打包 %1（压缩包中已有同名文件夹）。</translation>
    </message>
    <message>
        <source>%1 is archived as %2.</source>
        <translation>%1 在压缩包中保存为 %2。</translation>
    </message>
    <message>
        <source>Fetching %1 failed (%2); retrying in %3 s.</source>
        <translation>获取 %1 失败（%2），%3 秒后重试。</translation>
    </message>
    <message>
        <source>%1 changed or disappeared while it was being archived (%2); start the bundle again.</source>
        <translation>%1 在打包过程中被修改或删除（%2），请重新开始打包。</translation>
    </message>
    <message>
        <source>The bundle cannot continue from where it stopped: %1</source>
        <translation>打包无法从中断处继续：%1</translation>
    </message>
    <message>
        <source>The server no longer has the unfinished upload; the archive is uploaded again from the start.</source>
        <translation>服务器上已没有这次未完成的上传；压缩包将从头重新上传。</translation>
    </message>
    <message>
        <source>Cannot ask the server which parts of the archive it has: %1</source>
        <translation>无法向服务器查询它已有压缩包的哪些分块：%1</translation>
    </message>
    <message>
        <source>Continuing the archive from its checkpoint at %1 bytes (%2 of %3 entries written).</source>
        <translation>从 %1 字节处的检查点继续压缩包（已写入 %3 个条目中的 %2 个）。</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>%1 changed since the bundle started (%2); the archive cannot continue. Remove the bundle and make it again.</source>
        <translation>%1 在打包开始后发生了变化（%2）；压缩包无法继续。请移除此打包任务并重新创建。</translation>
    </message>
</context>
<context>
    <name>ferry::zip::ZipJob</name>
    <message>
        <source>Waiting for the credentials of this S3 account: open the account, then resume.</source>
        <translation>正在等待此 S3 账户的访问密钥：请打开该账户，然后继续。</translation>
    </message>
    <message>
        <source>No free file name for %1.</source>
        <translation>%1 已没有可用的文件名。</translation>
    </message>
    <message numerus="yes">
        <source>%n object(s) to bundle.</source>
        <translation>
            <numerusform>需要打包 %n 个对象。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n object(s) left out: %1</source>
        <translation>
            <numerusform>有 %n 个对象未打包：%1</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 could not be moved to the trash (%2); the file was kept.</source>
        <translation>无法将 %1 移到回收站（%2）；文件已保留。</translation>
    </message>
    <message>
        <source>Another Ferry process (pid %1) is running this transfer.</source>
        <translation>另一个 Ferry 进程（PID %1）正在运行此传输任务。</translation>
    </message>
    <message>
        <source>What the last run wrote is gone; the bundle starts again from the beginning.</source>
        <translation>上次运行写入的内容已不存在；打包将从头开始。</translation>
    </message>
    <message>
        <source>The unfinished upload %1 stays on the server (its account is not open); abort it under Unfinished Uploads.</source>
        <translation>未完成的上传 %1 仍留在服务器上（其账户未打开）；请在“未完成的上传”中中止它。</translation>
    </message>
    <message>
        <source>The last run finished the archive %1.</source>
        <translation>上次运行已完成压缩包 %1。</translation>
    </message>
</context>
<context>
    <name>ferry::zip::ZipWriter</name>
    <message>
        <source>Could not start compressing %1.</source>
        <translation>无法开始压缩 %1。</translation>
    </message>
    <message>
        <source>No archive entry is open.</source>
        <translation>没有打开的压缩包条目。</translation>
    </message>
    <message>
        <source>%1 is larger than the listed %2 bytes.</source>
        <translation>%1 超过了列出时的大小 %2 字节。</translation>
    </message>
    <message>
        <source>%1 has %2 bytes instead of the listed %3.</source>
        <translation>%1 的大小为 %2 字节，而列出时为 %3 字节。</translation>
    </message>
    <message>
        <source>%1 grew past 4 GiB while being written.</source>
        <translation>%1 在写入过程中超过了 4 GiB。</translation>
    </message>
    <message>
        <source>The archive is already finished.</source>
        <translation>压缩包已完成写入。</translation>
    </message>
    <message>
        <source>The previous archive entry is not finished.</source>
        <translation>上一个压缩包条目尚未完成。</translation>
    </message>
    <message>
        <source>Invalid archive entry name &quot;%1&quot;.</source>
        <translation>无效的压缩包条目名称“%1”。</translation>
    </message>
    <message>
        <source>Invalid size for %1.</source>
        <translation>%1 的大小无效。</translation>
    </message>
    <message>
        <source>Could not write the archive.</source>
        <translation>无法写入压缩包。</translation>
    </message>
    <message>
        <source>Compression failed.</source>
        <translation>压缩失败。</translation>
    </message>
    <message>
        <source>The archive cannot be continued.</source>
        <translation>无法继续写入此压缩包。</translation>
    </message>
</context>
<context>
    <name>ferry::zipread</name>
    <message>
        <source>The archive changed on the server while it was being read (%1). Nothing of the new version was used; open it again to read the new version.</source>
        <translation>读取期间服务器上的压缩包发生了变化（%1）。新版本的内容均未被使用；请重新打开以读取新版本。</translation>
    </message>
    <message>
        <source>The server does not support byte ranges (it answers with the whole file instead of 206 Partial Content), so the contents of a remote archive cannot be read without downloading all of it. Download the archive instead.</source>
        <translation>服务器不支持字节范围请求（它返回整个文件而不是 206 Partial Content），因此无法在不下载整个文件的情况下读取远程压缩包的内容。请改为下载该压缩包。</translation>
    </message>
    <message>
        <source>Where “%1” lies in the archive is not known; it cannot be downloaded on its own.</source>
        <translation>不知道“%1”在压缩包中的位置；无法单独下载。</translation>
    </message>
</context>
<context>
    <name>ferry::zipread::EntryDecoder</name>
    <message>
        <source>Cannot read %1: %2.</source>
        <translation>无法读取 %1：%2. {1:?}</translation>
    </message>
    <message>
        <source>“%1” is encrypted; Ferry does not extract encrypted entries.</source>
        <translation>“%1”已加密；Ferry 不解压加密条目。</translation>
    </message>
    <message>
        <source>“%1” uses a compression method Ferry does not extract.</source>
        <translation>“%1”使用了 Ferry 不支持解压的压缩方法。</translation>
    </message>
    <message>
        <source>Cannot create %1: %2.</source>
        <translation>无法创建 %1：%2。</translation>
    </message>
    <message>
        <source>Cannot write %1: %2.</source>
        <translation>无法写入 %1：%2。</translation>
    </message>
    <message>
        <source>Decoding “%1” was stopped.</source>
        <translation>已停止解码“%1”。</translation>
    </message>
    <message>
        <source>Cannot start inflating “%1”.</source>
        <translation>无法开始解压“%1”。</translation>
    </message>
    <message>
        <source>Cannot flush %1 to the disk.</source>
        <translation>无法把 %1 写入磁盘。</translation>
    </message>
    <message>
        <source>%1 is in the way and is not this download&apos;s own file; it was left untouched. Move it away, then resume.</source>
        <translation>%1 挡住了去路，而且不是这个下载自己的文件；未作改动。请把它移走，然后继续下载。</translation>
    </message>
    <message>
        <source>The archive has no local header for “%1” where its directory says.</source>
        <translation>压缩包目录所指的位置没有“%1”的本地文件头。</translation>
    </message>
    <message>
        <source>The local header of “%1” is cut short.</source>
        <translation>“%1”的本地文件头不完整。</translation>
    </message>
    <message>
        <source>The local header of “%1” does not match the archive&apos;s directory (name or method).</source>
        <translation>“%1”的本地文件头与压缩包目录不符（名称或压缩方法）。</translation>
    </message>
    <message>
        <source>The local header of “%1” gives other sizes or another CRC-32 than the archive&apos;s directory.</source>
        <translation>“%1”的本地文件头给出的大小或 CRC-32 与压缩包目录不同。</translation>
    </message>
    <message>
        <source>The data of “%1” runs past the part of the archive it was read from.</source>
        <translation>“%1”的数据超出了读取的压缩包范围。</translation>
    </message>
    <message>
        <source>“%1” holds more data than the %2 bytes the archive&apos;s directory says.</source>
        <translation>“%1”的数据多于压缩包目录所说的 %2 字节。</translation>
    </message>
    <message>
        <source>The compressed data of “%1” cannot be inflated.</source>
        <translation>无法解压“%1”的压缩数据。</translation>
    </message>
    <message>
        <source>The compressed data of “%1” ends early.</source>
        <translation>“%1”的压缩数据提前结束。</translation>
    </message>
    <message>
        <source>“%1” has %2 bytes, but the archive&apos;s directory says %3.</source>
        <translation>“%1”有 %2 字节，但压缩包目录记载为 %3。</translation>
    </message>
    <message>
        <source>The CRC-32 of “%1” is %2, but the archive&apos;s directory says %3.</source>
        <translation>“%1”的 CRC-32 是 %2，但压缩包目录记载为 %3。</translation>
    </message>
</context>
<context>
    <name>ferry::zipread::HttpRangeFetcher</name>
    <message>
        <source>the server no longer accepts its validators</source>
        <translation>服务器已不再接受其校验标识</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <source>Too many redirects (more than %1).</source>
        <translation>重定向次数过多（超过 %1 次）。</translation>
    </message>
    <message>
        <source>Refused a redirect from https to an unencrypted address.</source>
        <translation>已拒绝从 https 重定向到未加密的地址。</translation>
    </message>
    <message>
        <source>The server answered %1 (busy or unavailable).</source>
        <translation>服务器返回 %1（繁忙或不可用）。</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>412 Precondition Failed</source>
        <translation>412 前提条件失败</translation>
    </message>
    <message>
        <source>The server answered %1 %2.</source>
        <translation>服务器返回 %1 %2。</translation>
    </message>
    <message>
        <source>The server sent another byte range than the one asked for (%1 for %2, %3 bytes).</source>
        <translation>服务器发送的字节范围与请求的不同（请求 %2，收到 %1，%3 字节）。</translation>
    </message>
</context>
<context>
    <name>ferry::zipread::LocalUnpack</name>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <source>Extracting: %1 % of the archive read.</source>
        <translation>正在解压：已读取压缩包的 %1%。</translation>
    </message>
    <message>
        <source>“%1” cannot be opened: %2</source>
        <translation>无法打开“%1”：%2</translation>
    </message>
    <message numerus="yes">
        <source>Extracting %n entries (%1) from “%2”.</source>
        <translation>
            <numerusform>正在从“%2”解压 %n 个条目（%1）。</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot create the folder “%1”.</source>
        <translation>无法创建文件夹“%1”。</translation>
    </message>
    <message>
        <source>Left out: %1</source>
        <translation>未解压：%1</translation>
    </message>
    <message>
        <source>“%1” is no longer the file Ferry downloaded: another file has taken its name.</source>
        <translation>“%1”已不是 Ferry 下载的那个文件：另一个文件占用了它的名称。</translation>
    </message>
</context>
<context>
    <name>ferry::zipread::RangeFetcher</name>
    <message>
        <source>its size went from %1 to %2 bytes</source>
        <translation>其大小从 %1 字节变为 %2 字节</translation>
    </message>
    <message>
        <source>its ETag went from %1 to %2</source>
        <translation>其 ETag 从 %1 变为 %2</translation>
    </message>
    <message>
        <source>it was modified at %1</source>
        <translation>它在 %1 被修改</translation>
    </message>
</context>
<context>
    <name>ferry::zipread::RemoteZipDevice</name>
    <message>
        <source>A remote archive can only be read.</source>
        <translation>远程压缩包只能读取。</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <source>The server sent another byte range than the one asked for.</source>
        <translation>服务器发送的字节范围与请求的不同。</translation>
    </message>
</context>
<context>
    <name>ferry::zipread::S3RangeFetcher</name>
    <message>
        <source>its ETag no longer matches</source>
        <translation>其 ETag 已不匹配</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>The object is empty.</source>
        <translation>该对象为空。</translation>
    </message>
    <message>
        <source>The server sent %1 bytes where %2 were asked for.</source>
        <translation>请求 %2 字节，服务器发送了 %1 字节。</translation>
    </message>
</context>
<context>
    <name>ferry::zipread::ZipExtractor</name>
    <message>
        <source>“%1” is a symbolic link; nothing is written through it.</source>
        <translation>“%1”是符号链接；不会通过它写入任何内容。</translation>
    </message>
    <message>
        <source>“%1” is a file, where a folder is needed.</source>
        <translation>“%1”是文件，而此处需要文件夹。</translation>
    </message>
    <message>
        <source>Cannot create the folder “%1”.</source>
        <translation>无法创建文件夹“%1”。</translation>
    </message>
    <message>
        <source>Not extracted: reading the archive stopped earlier.</source>
        <translation>未解压：读取压缩包已提前停止。</translation>
    </message>
    <message>
        <source>Cannot create “%1”: %2</source>
        <translation>无法创建“%1”：%2</translation>
    </message>
</context>
<context>
    <name>ferry::zipread::ZipReader</name>
    <message>
        <source>“%1” is encrypted; Ferry does not extract encrypted entries.</source>
        <translation>“%1”已加密；Ferry 不解压加密条目。</translation>
    </message>
    <message>
        <source>“%1” is a symbolic link; links are not extracted.</source>
        <translation>“%1”是符号链接；不解压链接。</translation>
    </message>
    <message>
        <source>“%1” uses the compression method %2, which Ferry cannot unpack (only stored and deflated entries).</source>
        <translation>“%1”使用压缩方法 %2，Ferry 无法解压（仅支持存储和 deflate 条目）。</translation>
    </message>
    <message>
        <source>stored</source>
        <translation>存储</translation>
    </message>
    <message>
        <source>deflated</source>
        <translation>deflate 压缩</translation>
    </message>
    <message>
        <source>AES-encrypted</source>
        <translation>AES 加密</translation>
    </message>
    <message>
        <source>number %1</source>
        <translation>编号 %1</translation>
    </message>
    <message>
        <source>This is not a ZIP archive, or it is damaged: its end-of-central-directory record cannot be read (error %1).</source>
        <translation>这不是 ZIP 压缩包，或已损坏：无法读取其中央目录结束记录（错误 %1）。</translation>
    </message>
    <message>
        <source>The central directory is damaged: “%1” claims an impossible size.</source>
        <translation>中央目录已损坏：“%1”声明了不可能的大小。</translation>
    </message>
    <message numerus="yes">
        <source>The central directory is damaged or cut short after %n entries (error %1).</source>
        <translation>
            <numerusform>中央目录在 %n 个条目后损坏或被截断（错误 %1）。</numerusform>
        </translation>
    </message>
    <message>
        <source>The archive is not open.</source>
        <translation>压缩包未打开。</translation>
    </message>
    <message>
        <source>“%1” cannot be found in the central directory again.</source>
        <translation>在中央目录中再也找不到“%1”。</translation>
    </message>
    <message>
        <source>The local header of “%1” is damaged or does not match the central directory.</source>
        <translation>“%1”的本地文件头已损坏或与中央目录不符。</translation>
    </message>
    <message>
        <source>The data of “%1” is damaged (error %2).</source>
        <translation>“%1”的数据已损坏（错误 %2）。</translation>
    </message>
    <message>
        <source>“%1” holds more data than its stated size of %2 bytes.</source>
        <translation>“%1”包含的数据多于其声明的 %2 字节。</translation>
    </message>
    <message>
        <source>Cannot write “%1”: %2</source>
        <translation>无法写入“%1”：%2</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <source>“%1” ends after %2 of its %3 bytes.</source>
        <translation>“%1”在其 %3 字节中的第 %2 字节处结束。</translation>
    </message>
    <message>
        <source>“%1” fails its CRC-32 check: the data is damaged.</source>
        <translation>“%1”未通过 CRC-32 校验：数据已损坏。</translation>
    </message>
    <message>
        <source>“%1” could not be read to its end (error %2).</source>
        <translation>“%1”无法读到末尾（错误 %2）。</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Ferry, a segmented, resumable download manager.</source>
        <translation>Ferry，支持多线程分段下载和断点续传的下载管理器。</translation>
    </message>
    <message>
        <source>Where downloads and settings are kept.</source>
        <translation>下载记录和设置的保存位置。</translation>
    </message>
    <message>
        <source>URLs to download.</source>
        <translation>要下载的链接。</translation>
    </message>
    <message numerus="yes">
        <source>Ferry was not closed properly. It recovered %n unfinished download(s), which resume now.</source>
        <translation>
            <numerusform>Ferry 上次未正常关闭，已恢复 %n 个未完成的下载，现在继续下载。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Ferry was not closed properly. It recovered %n unfinished download(s), which wait in the queue.</source>
        <translation>
            <numerusform>Ferry 上次未正常关闭，已恢复 %n 个未完成的下载，它们正在队列中等待。</numerusform>
        </translation>
    </message>
</context>
</TS>
