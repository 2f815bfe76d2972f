# Debian packages with CPack (./installer/setup.sh package, or `cpack` in the build folder):
#   sendmail-tls      component "cli": the command-line tool, its man page, bash completion,
#                     the systemd units that expire exceptions, the polkit policy and helper
#   sendmail-tls-gui  component "gui": the desktop application, its desktop entry, AppStream
#                     metainfo, hicolor icons and man page; depends on sendmail-tls (same version)
# Why two: a mail server runs the CLI over SSH; it should not pull in Qt Widgets, Qt Gui and
# the X/GL libraries they need. The CLI links Qt Core, Qt Network and libssh only.
# Every install() rule of the project names its component; one without lands in neither
# package (CPack's "Unspecified" component is not packaged), which the install test notices.
include(GNUInstallDirs)

# Where the project is published. The project has no public address yet: the homepage and the
# screenshots in the AppStream metainfo point here, so set it when publishing
# (docs/screenshots/*.png are expected under ${SMTLS_PUBLIC_URL}/screenshots/).
set(SMTLS_PUBLIC_URL "https://sendmail-tls.example.org" CACHE STRING
    "Homepage of the project; AppStream screenshots are read from its /screenshots/")
# The AppStream component id (reverse DNS of the homepage's domain). Change it only together
# with the homepage.
set(SMTLS_APP_ID "org.example.sendmail_tls.admin" CACHE STRING "AppStream id (metainfo file name)")
# SPDX expression for the metainfo and the copyright file. The repository declares no licence.
set(SMTLS_PROJECT_LICENSE "LicenseRef-proprietary" CACHE STRING "SPDX licence of the project")
set(SMTLS_PACKAGE_MAINTAINER "Sendmail TLS Admin maintainers <maintainers@users.noreply.r-seed-6e78ad27.example>"
    CACHE STRING "Maintainer field of the Debian packages")

# Package files: directories 0755 whatever the umask of the build (lintian checks them).
set(CMAKE_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

# The release date: SOURCE_DATE_EPOCH when set (reproducible builds), else today.
string(TIMESTAMP SMTLS_RELEASE_DATE "%Y-%m-%d" UTC)
string(TIMESTAMP SMTLS_RELEASE_RFC2822 "%a, %d %b %Y %H:%M:%S +0000" UTC)

set(_desktop_src ${PROJECT_SOURCE_DIR}/resources/desktop)
set(_desktop_out ${PROJECT_BINARY_DIR}/desktop)
# The desktop file is named after the program, not the AppStream id: X11's WM_CLASS and
# Wayland's app_id of the window are "sendmail-tls-gui" (Qt takes them from the program), and
# that is how a desktop finds the entry (and icon) of a running window.
set(SMTLS_DESKTOP_ID "sendmail-tls-gui.desktop")
set(SMTLS_SCREENSHOT_URL "${SMTLS_PUBLIC_URL}/screenshots")

# --- gui: desktop entry, AppStream metainfo, icons -------------------------------------------
configure_file(${_desktop_src}/sendmail-tls-gui.desktop ${_desktop_out}/${SMTLS_DESKTOP_ID} COPYONLY)
configure_file(${_desktop_src}/sendmail-tls-gui.metainfo.xml.in
               ${_desktop_out}/${SMTLS_APP_ID}.metainfo.xml @ONLY)
install(FILES ${_desktop_out}/${SMTLS_DESKTOP_ID}
        DESTINATION ${CMAKE_INSTALL_DATADIR}/applications COMPONENT gui)
install(FILES ${_desktop_out}/${SMTLS_APP_ID}.metainfo.xml
        DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo COMPONENT gui)

# Icons from the one SVG the window uses too; PNGs rendered at build time, so that they cannot
# drift from it. The name is the program's (Icon= in the desktop file).
set(_icon_svg ${PROJECT_SOURCE_DIR}/resources/icons/app.svg)
install(FILES ${_icon_svg} RENAME sendmail-tls-gui.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps COMPONENT gui)
set(SMTLS_ICON_SIZES 16 22 24 32 48 64 128 256)
find_program(RSVG_CONVERT rsvg-convert)
if(RSVG_CONVERT)
  set(_pngs)
  foreach(size IN LISTS SMTLS_ICON_SIZES)
    set(_png ${_desktop_out}/icons/${size}x${size}/sendmail-tls-gui.png)
    add_custom_command(OUTPUT ${_png}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${_desktop_out}/icons/${size}x${size}
      COMMAND ${RSVG_CONVERT} --width ${size} --height ${size} --keep-aspect-ratio
              --output ${_png} ${_icon_svg}
      DEPENDS ${_icon_svg} VERBATIM)
    list(APPEND _pngs ${_png})
    install(FILES ${_png} DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps
            COMPONENT gui)
  endforeach()
  add_custom_target(desktop-icons ALL DEPENDS ${_pngs})
else()
  message(WARNING "rsvg-convert not found (Debian: librsvg2-bin): the packages get the SVG icon only")
endif()

# --- cli: the systemd units ---------------------------------------------------------------
# The service names the program by its absolute path; written at install time, when the prefix
# is known (/usr in a package, /usr/local for a plain `cmake --install`).
set(_systemd_dir lib/systemd/system)
install(FILES ${PROJECT_SOURCE_DIR}/resources/systemd/sendmail-tls-expire.timer
        DESTINATION ${_systemd_dir} COMPONENT cli)
install(CODE "
  file(READ \"${PROJECT_SOURCE_DIR}/resources/systemd/sendmail-tls-expire.service\" unit)
  string(REPLACE \"/usr/local/bin/sendmail-tls\" \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/sendmail-tls\" unit \"\${unit}\")
  file(WRITE \"${_desktop_out}/sendmail-tls-expire.service\" \"\${unit}\")
  file(INSTALL \"${_desktop_out}/sendmail-tls-expire.service\"
       DESTINATION \"\${CMAKE_INSTALL_PREFIX}/${_systemd_dir}\")
" COMPONENT cli)

# --- both: copyright and changelog in /usr/share/doc/PACKAGE (Debian policy 12.5, 12.7) --------
foreach(pkg IN ITEMS sendmail-tls sendmail-tls-gui)
  if(pkg STREQUAL "sendmail-tls")
    set(_comp cli)
  else()
    set(_comp gui)
  endif()
  set(SMTLS_DEB_PACKAGE ${pkg})
  configure_file(${_desktop_src}/copyright.in ${_desktop_out}/doc/${pkg}/copyright @ONLY)
  configure_file(${_desktop_src}/changelog.in ${_desktop_out}/doc/${pkg}/changelog @ONLY)
  # gzip -9n: no name or time stamp in the archive (lintian: changelog-not-compressed-with-max-compression)
  add_custom_command(OUTPUT ${_desktop_out}/doc/${pkg}/changelog.gz
    COMMAND gzip -9nkf ${_desktop_out}/doc/${pkg}/changelog
    DEPENDS ${_desktop_out}/doc/${pkg}/changelog VERBATIM)
  add_custom_target(changelog-${pkg} ALL DEPENDS ${_desktop_out}/doc/${pkg}/changelog.gz)
  install(FILES ${_desktop_out}/doc/${pkg}/copyright ${_desktop_out}/doc/${pkg}/changelog.gz
          DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${pkg} COMPONENT ${_comp})
endforeach()

# --- CPack --------------------------------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME sendmail-tls)
set(CPACK_PACKAGE_VENDOR "Sendmail TLS Admin")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${SMTLS_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_HOMEPAGE_URL "${SMTLS_PUBLIC_URL}")
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/packages)
# DESTDIR staging: install(CODE) above sees the real prefix (/usr), not the staging folder; with
# it CPack installs to CPACK_INSTALL_PREFIX (else CMAKE_INSTALL_PREFIX, /usr/local by default).
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_COMPONENTS_ALL cli gui)
set(CPACK_DEB_COMPONENT_INSTALL ON)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

# Each package's description starts with its own synopsis line; an empty summary keeps CPack
# from putting the project's description in front of both.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "")
set(CPACK_DEBIAN_CLI_PACKAGE_NAME sendmail-tls)
set(CPACK_DEBIAN_GUI_PACKAGE_NAME sendmail-tls-gui)
set(CPACK_COMPONENT_CLI_DESCRIPTION "read, explain and edit sendmail's outbound STARTTLS settings
When a peer offers STARTTLS and the handshake fails, sendmail defers the
mail and retries it for days. sendmail-tls shows which server mail is stuck
at, explains which line of sendmail.mc or the access map decides whether TLS
is tried, and edits these settings (per destination: on, fall back to clear
text, off; with an expiry) byte-exactly, with a validated, snapshotted apply
that rolls back by itself, on this computer or on many hosts over SSH.
.
This package holds the command-line tool and the systemd timer that removes
expired exceptions. The desktop application is in sendmail-tls-gui.")
set(CPACK_COMPONENT_GUI_DESCRIPTION "desktop application for sendmail's outbound STARTTLS settings
Sendmail TLS Admin shows, explains and edits sendmail's outbound STARTTLS
settings on this computer and on mail servers over SSH: destination
exceptions that end by themselves, a diff preview before every apply, the
mail queue grouped by the server mail is stuck at, a TLS probe, and a history
with undo.
.
The command-line tool is in sendmail-tls.")
# Same version of the CLI package: the two share the snapshot store and its format.
set(CPACK_DEBIAN_GUI_PACKAGE_DEPENDS "sendmail-tls (= ${PROJECT_VERSION})")
# Plugins shlibdeps cannot see: the SVG icon engine (every icon is an SVG). The keychain loads
# libsecret at run time; Wayland sessions run natively with qt6-wayland, else through XWayland.
# pkexec: one password per apply on This computer (the privileged helper), else sudo -n per
# command; qt6-translations-l10n: Qt's own buttons and dialogs in the user's language.
string(APPEND CPACK_DEBIAN_GUI_PACKAGE_DEPENDS ", libqt6svg6")
set(CPACK_DEBIAN_GUI_PACKAGE_RECOMMENDS "libsecret-1-0, qt6-wayland, pkexec, qt6-translations-l10n")

include(CPack)
