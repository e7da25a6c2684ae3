<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>ferry::DownloadManager</name>
    <message numerus="yes">
        <source>Extracted %n file(s) into “%1”.</source>
        <translation>
            <numerusform>Extracted %n file into “%1”.</numerusform>
            <numerusform>Extracted %n files into “%1”.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Extracted %n file(s) into “%1”; some entries were left out (see the log).</source>
        <translation>
            <numerusform>Extracted %n file into “%1”; some entries were left out (see the log).</numerusform>
            <numerusform>Extracted %n files into “%1”; some entries were left out (see the log).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Waiting to unpack: %n other archive(s) are being unpacked.</source>
        <translation>
            <numerusform>Waiting to unpack: %n other archive is being unpacked.</numerusform>
            <numerusform>Waiting to unpack: %n other archives are being unpacked.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ferry::app::S3Wiring</name>
    <message numerus="yes">
        <source>%n object(s) added to the queue.</source>
        <translation>
            <numerusform>%n object added to the queue.</numerusform>
            <numerusform>%n objects added to the queue.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ferry::ui::AddDialog</name>
    <message numerus="yes">
        <source>Nothing to add: the server does not have the address or refuses it (shown in red).</source>
        <translation>
            <numerusform>Nothing to add: the server does not have the address or refuses it (shown in red).</numerusform>
            <numerusform>Nothing to add: the server does not have the addresses or refuses them (shown in red).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n address(es) will not be added: the server does not have them or refuses them (shown in red). The others will.</source>
        <translation>
            <numerusform>%n address will not be added: the server does not have it or refuses it (shown in red). The others will.</numerusform>
            <numerusform>%n addresses will not be added: the server does not have them or refuses them (shown in red). The others will.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n link(s) found on the page; the ticked ones are added:</source>
        <translation>
            <numerusform>One link found on the page; it is added when ticked:</numerusform>
            <numerusform>%n links found on the page; the ticked ones are added:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>This pattern makes %Ln address(es): %1 … %2</source>
        <translation>
            <numerusform>This pattern makes 1 address: %1 … %2</numerusform>
            <numerusform>This pattern makes %Ln addresses: %1 … %2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln entries skipped: %1</source>
        <translation>
            <numerusform>One entry skipped: %1</numerusform>
            <numerusform>%Ln entries skipped: %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ferry::ui::BrowserPage</name>
    <message numerus="yes">
        <source>Registered for %n browser(s). Restart a browser that was open for it to find Ferry.</source>
        <translation>
            <numerusform>Registered for one browser. Restart it if it was open, for it to find Ferry.</numerusform>
            <numerusform>Registered for %n browsers. Restart a browser that was open for it to find Ferry.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ferry::ui::MainWindow</name>
    <message numerus="yes">
        <source>%n dropped item(s) are already on this computer.</source>
        <translation>
            <numerusform>%n dropped item is already on this computer.</numerusform>
            <numerusform>%n dropped items are already on this computer.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n running download(s) stop for the restart and then go on.</source>
        <translation>
            <numerusform>One running download stops for the restart and then goes on.</numerusform>
            <numerusform>%n running downloads stop for the restart and then go on.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n running download(s) stop and wait in the queue until you resume them.</source>
        <translation>
            <numerusform>One running download stops and waits in the queue until you resume it.</numerusform>
            <numerusform>%n running downloads stop and wait in the queue until you resume them.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exported %n download(s) to %1.</source>
        <translation>
            <numerusform>Exported one download to %1.</numerusform>
            <numerusform>Exported %n downloads to %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Every download is done. Ferry quits in %n second(s).</source>
        <translation>
            <numerusform>Every download is done. Ferry quits in one second.</numerusform>
            <numerusform>Every download is done. Ferry quits in %n seconds.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Every download is done. The computer is suspended in %n second(s).</source>
        <translation>
            <numerusform>Every download is done. The computer is suspended in one second.</numerusform>
            <numerusform>Every download is done. The computer is suspended in %n seconds.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Every download is done. The computer powers off in %n second(s).</source>
        <translation>
            <numerusform>Every download is done. The computer powers off in one second.</numerusform>
            <numerusform>Every download is done. The computer powers off in %n seconds.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n entry(ies) added to the queue.</source>
        <translation>
            <numerusform>%n entry added to the queue.</numerusform>
            <numerusform>%n entries added to the queue.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ferry::ui::QuitPrompt</name>
    <message numerus="yes">
        <source>%n download(s) are running. Quit anyway, keep running in the tray, or cancel?</source>
        <translation>
            <numerusform>One download is running. Quit anyway, keep running in the tray, or cancel?</numerusform>
            <numerusform>%n downloads are running. Quit anyway, keep running in the tray, or cancel?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n download(s) are running. Quit anyway?</source>
        <translation>
            <numerusform>One download is running. Quit anyway?</numerusform>
            <numerusform>%n downloads are running. Quit anyway?</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ferry::ui::S3Panel</name>
    <message numerus="yes">
        <source>No S3 account yet. Found %n profile(s) with keys in ~/.aws.</source>
        <translation>
            <numerusform>No S3 account yet. Found %n profile with keys in ~/.aws.</numerusform>
            <numerusform>No S3 account yet. Found %n profiles with keys in ~/.aws.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n object(s) loaded</source>
        <translation>
            <numerusform>%n object loaded</numerusform>
            <numerusform>%n objects loaded</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n folder(s)</source>
        <translation>
            <numerusform>%n folder</numerusform>
            <numerusform>%n folders</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Delete %n object(s) from “%1”?</source>
        <translation>
            <numerusform>Delete %n object from “%1”?</numerusform>
            <numerusform>Delete %n objects from “%1”?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Delete %n object(s) and %1 folder(s) with everything in them from “%2”?</source>
        <translation>
            <numerusform>Delete %n object and %1 folder(s) with everything in them from “%2”?</numerusform>
            <numerusform>Delete %n objects and %1 folder(s) with everything in them from “%2”?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n object(s) could not be deleted, e.g. %1.</source>
        <translation>
            <numerusform>%n object could not be deleted: %1.</numerusform>
            <numerusform>%n objects could not be deleted, e.g. %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Imported %n account(s) from ~/.aws.</source>
        <translation>
            <numerusform>Imported %n account from ~/.aws.</numerusform>
            <numerusform>Imported %n accounts from ~/.aws.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ferry::ui::TransferView</name>
    <message numerus="yes">
        <source>%1 and %n more</source>
        <translation>
            <numerusform>%1 and %n more</numerusform>
            <numerusform>%1 and %n more</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ferry::ui::UnfinishedUploadsDialog</name>
    <message numerus="yes">
        <source>%n unfinished upload(s).</source>
        <translation>
            <numerusform>%n unfinished upload.</numerusform>
            <numerusform>%n unfinished uploads.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n part(s), %1 bytes</source>
        <translation>
            <numerusform>%n part, %1 bytes</numerusform>
            <numerusform>%n parts, %1 bytes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ferry::ui::ZipContentsDialog</name>
    <message numerus="yes">
        <source>%n file(s), %1 unpacked. Listing read %2 of the archive&apos;s %3.</source>
        <translation>
            <numerusform>%n file, %1 unpacked. Listing read %2 of the archive&apos;s %3.</numerusform>
            <numerusform>%n files, %1 unpacked. Listing read %2 of the archive&apos;s %3.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) chosen: %1, %2 to fetch.</source>
        <translation>
            <numerusform>%n file chosen: %1, %2 to fetch.</numerusform>
            <numerusform>%n files chosen: %1, %2 to fetch.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ferry::zip::ZipJob</name>
    <message numerus="yes">
        <source>%n object(s) to bundle.</source>
        <translation>
            <numerusform>%n object to bundle.</numerusform>
            <numerusform>%n objects to bundle.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n object(s) left out: %1</source>
        <translation>
            <numerusform>%n object left out: %1</numerusform>
            <numerusform>%n objects left out: %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ferry::zipread::LocalUnpack</name>
    <message numerus="yes">
        <source>Extracting %n entries (%1) from “%2”.</source>
        <translation>
            <numerusform>Extracting %n entry (%1) from “%2”.</numerusform>
            <numerusform>Extracting %n entries (%1) from “%2”.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ferry::zipread::ZipReader</name>
    <message numerus="yes">
        <source>The central directory is damaged or cut short after %n entries (error %1).</source>
        <translation>
            <numerusform>The central directory is damaged or cut short after %n entry (error %1).</numerusform>
            <numerusform>The central directory is damaged or cut short after %n entries (error %1).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>main</name>
    <message numerus="yes">
        <source>Ferry was not closed properly. It recovered %n unfinished download(s), which resume now.</source>
        <translation>
            <numerusform>Ferry was not closed properly. It recovered one unfinished download, which resumes now.</numerusform>
            <numerusform>Ferry was not closed properly. It recovered %n unfinished downloads, which resume now.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Ferry was not closed properly. It recovered %n unfinished download(s), which wait in the queue.</source>
        <translation>
            <numerusform>Ferry was not closed properly. It recovered one unfinished download, which waits in the queue.</numerusform>
            <numerusform>Ferry was not closed properly. It recovered %n unfinished downloads, which wait in the queue.</numerusform>
        </translation>
    </message>
</context>
</TS>
