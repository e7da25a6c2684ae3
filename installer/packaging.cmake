# Installation layout and the Debian package (cpack -G DEB → ferry_<version>_amd64.deb).
# Included from the top-level CMakeLists.txt after the targets exist. The version is the
# project() version: the binaries print it with --version, and the package, the AppStream
# release and the About dialog all take it from there.

include(GNUInstallDirs)

set(FERRY_APP_ID io.github.ferry.Ferry)
# Date of the release named by PROJECT_VERSION, for the AppStream <release> entry; bump both
# together.
set(FERRY_RELEASE_DATE 2026-11-22)
set(FERRY_PACKAGE_MAINTAINER "The Ferry developers <ferry-dev@users.noreply.github.com>"
    CACHE STRING "Maintainer field of the Debian package")

set(_installer ${CMAKE_CURRENT_LIST_DIR})
set(_gen ${CMAKE_CURRENT_BINARY_DIR}/installer)
file(MAKE_DIRECTORY ${_gen})

# --- Icons: the SVG as is, plus PNGs rendered from it at build time with Qt Svg --------------
find_package(Qt6 REQUIRED COMPONENTS Gui Svg)
qt_add_executable(ferry_iconrender ${_installer}/iconrender.cpp)
target_link_libraries(ferry_iconrender PRIVATE Qt6::Gui Qt6::Svg ferry_strict)
set_target_properties(ferry_iconrender PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${_gen})

set(_icon_svg ${CMAKE_CURRENT_SOURCE_DIR}/resources/icons/ferry.svg)
set(FERRY_ICON_SIZES 16 22 24 32 48 64 128 256)
set(_icon_pngs)
foreach(_size IN LISTS FERRY_ICON_SIZES)
    set(_png ${_gen}/icons/${_size}/${FERRY_APP_ID}.png)
    add_custom_command(OUTPUT ${_png}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${_gen}/icons/${_size}
        COMMAND ferry_iconrender ${_icon_svg} ${_size} ${_png}
        DEPENDS ferry_iconrender ${_icon_svg}
        COMMENT "Rendering the ${_size}x${_size} application icon"
        VERBATIM)
    list(APPEND _icon_pngs ${_png})
    install(FILES ${_png}
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${_size}x${_size}/apps)
endforeach()
install(FILES ${_icon_svg}
    DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps
    RENAME ${FERRY_APP_ID}.svg)

# --- Man pages, compressed as Debian policy asks ---------------------------------------------
set(_manpages)
foreach(_page IN ITEMS ferry.1 ferry-cli.1)
    set(_gz ${_gen}/man/${_page}.gz)
    add_custom_command(OUTPUT ${_gz}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${_gen}/man
        # -n leaves the timestamp and name out, so the package is reproducible.
        COMMAND gzip -9 -n -c ${_installer}/${_page} > ${_gz}
        DEPENDS ${_installer}/${_page}
        COMMENT "Compressing the ${_page} man page")
    list(APPEND _manpages ${_gz})
endforeach()
install(FILES ${_manpages} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

add_custom_target(ferry_install_data ALL DEPENDS ${_icon_pngs} ${_manpages})

# --- Desktop entry and AppStream metadata ----------------------------------------------------
configure_file(${_installer}/${FERRY_APP_ID}.metainfo.xml.in ${_gen}/${FERRY_APP_ID}.metainfo.xml @ONLY)
install(FILES ${_installer}/${FERRY_APP_ID}.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${_gen}/${FERRY_APP_ID}.metainfo.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)

# --- Browser host manifests ------------------------------------------------------------------
# Browsers find ferry-browser-host through manifests in fixed system folders, outside the
# prefix, and the manifests name /usr/bin/ferry-browser-host. So they are installed only when
# the prefix is /usr (the Debian package, or a distribution's own build with DESTDIR); the
# decision is taken at install time because cpack and `cmake --install --prefix` choose the
# prefix then. Any other prefix leaves /etc alone: `ferry-browser-host --register` writes the
# user's own manifests instead.
set(_browser ${_installer}/browser)
set(_host_manifest io.github.ferry.host.json)
install(CODE "
if(CMAKE_INSTALL_PREFIX STREQUAL \"/usr\")
    foreach(_dir IN ITEMS /etc/chromium/native-messaging-hosts /etc/opt/chrome/native-messaging-hosts)
        file(INSTALL \"${_browser}/io.github.ferry.host.chromium.json\" DESTINATION \"\${_dir}\"
             RENAME ${_host_manifest} PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
    endforeach()
    file(INSTALL \"${_browser}/io.github.ferry.host.firefox.json\" DESTINATION /usr/lib/mozilla/native-messaging-hosts
         RENAME ${_host_manifest} PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
else()
    message(STATUS \"Not installing the browser host manifests: the prefix is not /usr (run ferry-browser-host --register instead)\")
endif()
")
# Files under /etc are the administrator's to edit; dpkg keeps their changes on upgrades.
file(WRITE ${_gen}/conffiles
    "/etc/chromium/native-messaging-hosts/${_host_manifest}\n/etc/opt/chrome/native-messaging-hosts/${_host_manifest}\n")

# --- CPack: the Debian package ---------------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME ferry)
set(CPACK_PACKAGE_VENDOR "The Ferry developers")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "segmented, resumable download manager")
set(CPACK_PACKAGE_DESCRIPTION
    "Ferry splits a download over several HTTP range connections, writes it in place into \
one preallocated file and saves its progress only after the bytes are on disk, so an \
interrupted download resumes where it stopped. A file that changes on the server is \
detected and fetched again instead of being mixed. The package contains the window \
(ferry) and the command line tool (ferry-cli), which share the same engine, and the \
host that connects Ferry's browser extension to the window (ferry-browser-host).")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${FERRY_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${_gen}/conffiles)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)

# Plugins are loaded at run time, so dpkg-shlibdeps cannot see them: the SQLite driver for
# the state database, the xcb platform, and the SVG icon engine that draws the toolbar icons.
# Qt's own translations (OK, Cancel and Qt's dialogs in the window's language) are data files
# it cannot see either.
set(_plugin_depends "libqt6sql6-sqlite, qt6-qpa-plugins, libqt6svg6, qt6-translations-l10n")
find_program(FERRY_DPKG_SHLIBDEPS dpkg-shlibdeps)
find_program(FERRY_FILE_PROGRAM file)
if(FERRY_DPKG_SHLIBDEPS AND FERRY_FILE_PROGRAM)
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
    set(CPACK_DEBIAN_PACKAGE_DEPENDS "${_plugin_depends}")
else()
    # Without dpkg-dev and file the linked libraries are listed by hand (Debian 12 names).
    message(STATUS "dpkg-shlibdeps or file not found: the package lists its dependencies by hand")
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS OFF)
    set(CPACK_DEBIAN_PACKAGE_DEPENDS
        "libc6, libstdc++6, libgcc-s1, libqt6core6, libqt6gui6, libqt6widgets6, libqt6network6, \
libqt6sql6, libqt6svg6, libqt6keychain1, libquazip1-qt6-1, zlib1g, ${_plugin_depends}")
endif()
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-wayland")

include(CPack)
