#pragma once

// Internal to FaultServer: one accepted TCP connection, serving sequential keep-alive requests.
// Lives on the server thread; deletes itself when the peer goes away.

#include "faultstate.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

class QTcpSocket;

namespace ferry::test::detail {

class HttpConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpConnection)

public:
    HttpConnection(QTcpSocket *socket, FaultState *state, int id, QObject *parent);
    ~HttpConnection() override;

private:
    enum class Phase { Reading, Sending, Stalled, Closing };

    void onReadyRead();
    void processInput();
    void startResponse(ResponsePlan plan);
    void pump();
    void finishResponse();
    void closeGracefully();

    QTcpSocket *m_socket;
    FaultState *m_state;
    const int m_id;
    Phase m_phase = Phase::Reading;
    QByteArray m_input;
    qint64 m_discard = 0; // request body bytes still to skip

    ResponsePlan m_plan;
    qint64 m_sent = 0;
    QTimer m_throttle;
    QElapsedTimer m_clock;
    double m_allowance = 0;
};

} // namespace ferry::test::detail
